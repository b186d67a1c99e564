import { describe, expect, it } from 'vitest';
import { listTeamGames, type PrismaClient, type TeamGame } from '@pressbox/db';
import { gameColumns, importGames } from '@pressbox/jobs';
import { databaseAvailable, databaseKinds, useTestDatabase } from '../support/databases.ts';

/**
 * Miami's games over two seasons (nobody else in this file's database plays in them). g5 and g6
 * start at the same time, so their order comes from the id tie-break.
 */
const rows = [
  ['NBA', '2024-25', '2025-04-10T23:00:00Z', 'nba-mia', 'nba-bos', 'FINAL', '100', '95', 'list-g1'],
  ['NBA', '2024-25', '2025-04-12T23:00:00Z', 'nba-nyk', 'nba-mia', 'FINAL', '101', '110', 'list-g2'],
  ['NBA', '2025-26', '2025-10-22T23:30:00Z', 'nba-mia', 'nba-orl', 'FINAL', '120', '118', 'list-g3'],
  ['NBA', '2025-26', '2025-10-25T00:00:00Z', 'nba-atl', 'nba-mia', 'POSTPONED', '', '', 'list-g4'],
  ['NBA', '2025-26', '2025-10-28T23:30:00Z', 'nba-mia', 'nba-cha', 'SCHEDULED', '', '', 'list-g5'],
  ['NBA', '2025-26', '2025-10-28T23:30:00Z', 'nba-was', 'nba-mia', 'SCHEDULED', '', '', 'list-g6'],
  ['NBA', '2025-26', '2025-11-01T00:00:00Z', 'nba-mia', 'nba-det', 'SCHEDULED', '', '', 'list-g7'],
  ['NBA', '2025-26', '2025-11-01T00:00:00Z', 'nba-bos', 'nba-nyk', 'SCHEDULED', '', '', 'list-other'],
];

async function allPages(prisma: PrismaClient, query: Omit<Parameters<typeof listTeamGames>[1], 'cursor'>): Promise<TeamGame[][]> {
  const pages: TeamGame[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listTeamGames(prisma, { ...query, cursor });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 20);
  return pages;
}

const ids = (pages: TeamGame[][]) => pages.map((page) => page.map((game) => game.externalId));

describe.each(databaseKinds)('listing a team’s games on %s', (kind) => {
  let prisma: PrismaClient;
  useTestDatabase(kind, async (test) => {
    prisma = test.db.prisma;
    const result = await importGames(prisma, {
      format: 'csv',
      content: [gameColumns.join(','), ...rows.map((row) => row.join(','))].join('\n'),
    });
    expect(result.rejected).toEqual([]);
  });

  it.skipIf(!databaseAvailable(kind))('pages through home and away games, newest first, ties by id', async () => {
    const tied = await prisma.game.findMany({ where: { externalId: { in: ['list-g5', 'list-g6'] } }, orderBy: { id: 'desc' } });
    const [later, earlier] = tied.map((game) => game.externalId);
    expect(ids(await allPages(prisma, { teamId: 'nba-mia', limit: 3 }))).toEqual([
      ['list-g7', later, earlier],
      ['list-g4', 'list-g3', 'list-g2'],
      ['list-g1'],
    ]);
  });

  it.skipIf(!databaseAvailable(kind))('returns no cursor on the last page', async () => {
    const page = await listTeamGames(prisma, { teamId: 'nba-mia', limit: 7 });
    expect(page.items).toHaveLength(7);
    expect(page.nextCursor).toBeNull();
  });

  it.skipIf(!databaseAvailable(kind))('includes both teams’ ids and names, scores and status', async () => {
    const page = await listTeamGames(prisma, { teamId: 'nba-mia', season: '2024-25', limit: 1 });
    expect(page.items[0]).toMatchObject({
      externalId: 'list-g2',
      league: 'NBA',
      season: '2024-25',
      status: 'FINAL',
      homeScore: 101,
      awayScore: 110,
      homeTeam: { id: 'nba-nyk', name: 'New York Knicks' },
      awayTeam: { id: 'nba-mia', name: 'Miami Heat' },
    });
    expect(page.items[0]?.startsAt.toISOString()).toBe('2025-04-12T23:00:00.000Z');
  });

  it.skipIf(!databaseAvailable(kind))('filters by season', async () => {
    expect(ids(await allPages(prisma, { teamId: 'nba-mia', season: '2024-25', limit: 1 }))).toEqual([['list-g2'], ['list-g1']]);
  });

  it.skipIf(!databaseAvailable(kind))('filters by status', async () => {
    expect(ids(await allPages(prisma, { teamId: 'nba-mia', status: 'FINAL', limit: 2 }))).toEqual([['list-g3', 'list-g2'], ['list-g1']]);
    expect(ids(await allPages(prisma, { teamId: 'nba-mia', season: '2025-26', status: 'POSTPONED', limit: 5 }))).toEqual([['list-g4']]);
  });

  it.skipIf(!databaseAvailable(kind))('keeps the next page stable when a newer game arrives between pages', async () => {
    const game = (externalId: string, startsAt: string) => ({
      league: 'NBA',
      season: '2025-26',
      startsAt,
      homeTeamId: 'nba-chi',
      awayTeamId: 'nba-cle',
      status: 'SCHEDULED',
      externalId,
    });
    await importGames(prisma, {
      format: 'json',
      content: JSON.stringify([game('stable-1', '2025-12-01T01:00:00Z'), game('stable-2', '2025-12-02T01:00:00Z')]),
    });
    const first = await listTeamGames(prisma, { teamId: 'nba-chi', limit: 1 });
    expect(first.items.map((item) => item.externalId)).toEqual(['stable-2']);
    await importGames(prisma, { format: 'json', content: JSON.stringify([game('stable-3', '2025-12-03T01:00:00Z')]) });
    const second = await listTeamGames(prisma, { teamId: 'nba-chi', limit: 1, cursor: first.nextCursor! });
    expect(second.items.map((item) => item.externalId)).toEqual(['stable-1']);
    expect(second.nextCursor).toBeNull();
  });

  it.skipIf(!databaseAvailable(kind))('returns an empty page for a team without games', async () => {
    expect(await listTeamGames(prisma, { teamId: 'nba-sas', limit: 20 })).toEqual({ items: [], nextCursor: null });
  });

  it.skipIf(!databaseAvailable(kind))('answers NOT_FOUND for an unknown team', async () => {
    await expect(listTeamGames(prisma, { teamId: 'nba-xyz', limit: 20 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.skipIf(!databaseAvailable(kind))('answers BAD_REQUEST for a cursor it did not return', async () => {
    const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');
    await expect(listTeamGames(prisma, { teamId: 'nba-mia', limit: 20, cursor: forged })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(listTeamGames(prisma, { teamId: 'nba-mia', limit: 20, cursor: 'garbage!' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
