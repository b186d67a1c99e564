import { router } from '../../trpc/init.ts';
import { getTeamProcedure } from './get-team.ts';
import { listTeamsProcedure } from './list-teams.ts';

export const teamsRouter = router({
  list: listTeamsProcedure,
  get: getTeamProcedure,
});
