import { teamsOfLeaguesOf, type EventInsert, type GamesAnnouncer } from '@pressbox/db';
import { toEventInsert } from '../events/index.ts';

/**
 * The events of a games import, built inside its transaction (see `upsertGames`): a changed game
 * moves its league's table, so every team of that league gets a `dashboard.updated` — `games`
 * for the teams that played, `standings` for the others, whose rank (or the number of teams
 * ranked) may have moved. Dashboards are cached per team event, so without this a rival's result
 * would leave a team's rank stale.
 */
export const announceGameChanges: GamesAnnouncer = async (tx, changedTeamIds): Promise<EventInsert[]> => {
  const played = new Set(changedTeamIds);
  const rivals = (await teamsOfLeaguesOf(tx, changedTeamIds)).filter((team) => !played.has(team.id));
  return [
    ...changedTeamIds.map((teamId) => toEventInsert({ type: 'dashboard.updated', teamId, data: { teamId, reason: 'games' } })),
    ...rivals.map((team) => toEventInsert({ type: 'dashboard.updated', teamId: team.id, data: { teamId: team.id, reason: 'standings' } })),
  ];
};
