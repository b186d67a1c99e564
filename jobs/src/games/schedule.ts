import { GameStatus } from '@pressbox/db';

/** What the schedule views need to know about a game. */
export interface ScheduleGame {
  id: string;
  season: string;
  homeTeamId: string;
  awayTeamId: string;
  startsAt: Date;
  status: GameStatus;
}

function involves(teamId: string, game: ScheduleGame): boolean {
  return game.homeTeamId === teamId || game.awayTeamId === teamId;
}

/** Newest first; equal kick-offs by id so the order never depends on the input's. */
function newestFirst(a: ScheduleGame, b: ScheduleGame): number {
  return b.startsAt.getTime() - a.startsAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * The season a team is in: that of its most recent game by start time, whatever its status
 * (a published schedule for the next season makes that season current). Null without games.
 *
 * @example
 * currentSeason(await prisma.game.findMany({ where: { homeTeamId: 'nba-bos' } })) // '2025-26'
 */
export function currentSeason(games: readonly Pick<ScheduleGame, 'id' | 'season' | 'startsAt'>[]): string | null {
  let latest: Pick<ScheduleGame, 'id' | 'season' | 'startsAt'> | undefined;
  for (const game of games) {
    if (
      latest === undefined ||
      game.startsAt.getTime() > latest.startsAt.getTime() ||
      (game.startsAt.getTime() === latest.startsAt.getTime() && game.id > latest.id)
    )
      latest = game;
  }
  return latest?.season ?? null;
}

/**
 * A team's last `n` results: its FINAL games, newest first.
 *
 * @example
 * lastGames('nba-bos', games, 5).map((game) => game.externalId)
 */
export function lastGames<G extends ScheduleGame>(teamId: string, games: readonly G[], n: number): G[] {
  return games
    .filter((game) => game.status === GameStatus.FINAL && involves(teamId, game))
    .sort(newestFirst)
    .slice(0, Math.max(0, n));
}

/**
 * The game a team plays next: one IN_PROGRESS now if there is one (the earliest, should a feed
 * leave a stale one behind), else its earliest SCHEDULED game starting at or after `now`. Null
 * when nothing is planned (POSTPONED games have no date to show).
 *
 * @example
 * nextGame('nba-bos', games, new Date())?.startsAt
 */
export function nextGame<G extends ScheduleGame>(teamId: string, games: readonly G[], now: Date): G | null {
  const mine = games.filter((game) => involves(teamId, game));
  const live = mine.filter((game) => game.status === GameStatus.IN_PROGRESS);
  const candidates =
    live.length > 0 ? live : mine.filter((game) => game.status === GameStatus.SCHEDULED && game.startsAt.getTime() >= now.getTime());
  return candidates.sort(newestFirst).at(-1) ?? null;
}
