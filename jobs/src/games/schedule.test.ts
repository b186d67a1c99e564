import type { GameStatus } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import { currentSeason, lastGames, nextGame, type ScheduleGame } from './schedule.ts';

function game(
  id: string,
  startsAt: string,
  status: GameStatus,
  homeTeamId = 'nba-bos',
  awayTeamId = 'nba-nyk',
  season = '2025-26',
): ScheduleGame {
  return { id, season, homeTeamId, awayTeamId, startsAt: new Date(startsAt), status };
}

const now = new Date('2026-01-15T12:00:00Z');
const games: ScheduleGame[] = [
  game('g1', '2026-01-01T00:00:00Z', 'FINAL'),
  game('g2', '2026-01-05T00:00:00Z', 'FINAL', 'nba-phi', 'nba-bos'),
  game('g3', '2026-01-08T00:00:00Z', 'POSTPONED'),
  game('g4', '2026-01-10T00:00:00Z', 'FINAL', 'nba-phi', 'nba-mia'),
  game('g5', '2026-01-12T00:00:00Z', 'CANCELED'),
  game('g6', '2026-01-14T00:00:00Z', 'FINAL', 'nba-nyk', 'nba-bos'),
  game('g7', '2026-01-20T00:00:00Z', 'SCHEDULED', 'nba-bos', 'nba-mia'),
  game('g8', '2026-01-18T00:00:00Z', 'SCHEDULED', 'nba-tor', 'nba-bos'),
  game('g9', '2026-01-10T00:00:00Z', 'SCHEDULED'),
];

describe('last games', () => {
  it('returns a team’s FINAL games, newest first, at most n', () => {
    expect(lastGames('nba-bos', games, 2).map((entry) => entry.id)).toEqual(['g6', 'g2']);
    expect(lastGames('nba-bos', games, 5).map((entry) => entry.id)).toEqual(['g6', 'g2', 'g1']);
  });

  it('returns nothing for n = 0 or a team without results', () => {
    expect(lastGames('nba-bos', games, 0)).toEqual([]);
    expect(lastGames('nba-tor', games, 5)).toEqual([]);
  });
});

describe('next game', () => {
  it('is the earliest scheduled game from now on', () => {
    expect(nextGame('nba-bos', games, now)?.id).toBe('g8');
  });

  it('ignores scheduled games whose time has passed', () => {
    expect(nextGame('nba-bos', games, new Date('2026-01-19T00:00:00Z'))?.id).toBe('g7');
    expect(nextGame('nba-bos', games, new Date('2026-02-01T00:00:00Z'))).toBeNull();
  });

  it('is the game in progress while one is', () => {
    const live = [...games, game('g10', '2026-01-15T11:00:00Z', 'IN_PROGRESS', 'nba-mia', 'nba-bos')];
    expect(nextGame('nba-bos', live, now)?.id).toBe('g10');
  });

  it('is null for a team with nothing planned', () => {
    expect(nextGame('nba-lal', games, now)).toBeNull();
  });
});

describe('current season', () => {
  it('is the season of the most recent game by start time', () => {
    expect(
      currentSeason([
        game('a', '2025-05-01T00:00:00Z', 'FINAL', 'x', 'y', '2024-25'),
        game('b', '2025-10-21T00:00:00Z', 'SCHEDULED', 'x', 'y', '2025-26'),
        game('c', '2025-04-01T00:00:00Z', 'FINAL', 'x', 'y', '2024-25'),
      ]),
    ).toBe('2025-26');
  });

  it('is null without games', () => {
    expect(currentSeason([])).toBeNull();
  });
});
