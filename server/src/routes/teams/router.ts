import { router } from '../../trpc/init.ts';
import { teamsDashboard } from './dashboard.ts';
import { teamsGames } from './games.ts';
import { teamsGet } from './get.ts';
import { teamsList } from './list.ts';
import { teamsNews } from './news.ts';
import { teamsOnDashboard } from './on-dashboard.ts';
import { teamsOnNews } from './on-news.ts';
import { teamsOnSummary } from './on-summary.ts';
import { teamsRefreshSummary } from './refresh-summary.ts';
import { teamsSummary } from './summary.ts';

export const teamsRouter = router({
  list: teamsList,
  get: teamsGet,
  dashboard: teamsDashboard,
  news: teamsNews,
  games: teamsGames,
  summary: teamsSummary,
  refreshSummary: teamsRefreshSummary,
  onNews: teamsOnNews,
  onSummary: teamsOnSummary,
  onDashboard: teamsOnDashboard,
});
