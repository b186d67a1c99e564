import { gamesRouter } from './routes/games/router.ts';
import { jobsRouter } from './routes/jobs/router.ts';
import { meRouter } from './routes/me/router.ts';
import { sourcesRouter } from './routes/sources/router.ts';
import { teamsRouter } from './routes/teams/router.ts';
import { router } from './trpc/init.ts';

/** Every procedure of Pressbox. The frontend imports its type; REST and the SDK derive from it. */
export const appRouter = router({
  me: meRouter,
  teams: teamsRouter,
  sources: sourcesRouter,
  games: gamesRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;
