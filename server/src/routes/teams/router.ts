import { router } from '../../trpc/init.ts';
import { teamDashboardProcedure } from './dashboard.ts';
import { getTeamProcedure } from './get-team.ts';
import { listTeamGamesProcedure } from './list-team-games.ts';
import { listTeamNewsProcedure } from './list-team-news.ts';
import { listTeamsProcedure } from './list-teams.ts';
import { onDashboardProcedure, onNewsProcedure, onSummaryProcedure } from './subscriptions.ts';
import { getTeamSummaryProcedure, refreshTeamSummaryProcedure } from './summary.ts';

export const teamsRouter = router({
  list: listTeamsProcedure,
  get: getTeamProcedure,
  dashboard: teamDashboardProcedure,
  news: listTeamNewsProcedure,
  games: listTeamGamesProcedure,
  summary: getTeamSummaryProcedure,
  refreshSummary: refreshTeamSummaryProcedure,
  onNews: onNewsProcedure,
  onSummary: onSummaryProcedure,
  onDashboard: onDashboardProcedure,
});
