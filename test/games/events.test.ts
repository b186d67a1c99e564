import { randomBytes } from 'node:crypto';
import { createMemoryEventBus, gameColumns, importGames, type StoredEvent } from '@pressbox/jobs';
import { describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, useTestDatabase, type TestDatabase } from '../support/databases.ts';
import { eventually } from '../support/waiting.ts';

/** One final NHL game of these teams, as a CSV file. */
function nhlGame(externalId: string, home: string, away: string, homeScore: number): string {
  const row = ['NHL', '2025-26', '2025-11-02T00:00:00Z', home, away, 'FINAL', String(homeScore), '1', externalId];
  return `${gameColumns.join(',')}\r\n${row.join(',')}\r\n`;
}

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`a games import commits its dashboard events with the games on ${kind}`, () => {
    let database: TestDatabase;
    useTestDatabase(kind, (opened) => {
      database = opened;
    });

    async function dashboardEvents(): Promise<{ teamId: string | null; data: unknown }[]> {
      return database.db.prisma.event.findMany({
        where: { type: 'dashboard.updated' },
        orderBy: { id: 'asc' },
        select: { teamId: true, data: true },
      });
    }

    it('announces the teams that played and every other team of their league, in the import’s transaction, once', async () => {
      const { prisma } = database.db;
      const nhl = (await prisma.team.findMany({ where: { league: 'NHL' }, orderBy: { id: 'asc' }, select: { id: true } })).map(
        (team) => team.id,
      );
      const received: StoredEvent[] = [];
      // No process publishes anything after the import: the relay finds the committed rows.
      const bus = createMemoryEventBus({ prisma, relayIntervalMs: 50 });
      try {
        await bus.subscribe({ teamId: 'nhl-van' }, (event) => received.push(event));
        const before = (await dashboardEvents()).length;
        const externalId = `evt-${randomBytes(4).toString('hex')}`;
        const result = await importGames(prisma, { format: 'csv', content: nhlGame(externalId, 'nhl-bos', 'nhl-mtl', 4) });
        expect(result.changedTeamIds).toEqual(['nhl-bos', 'nhl-mtl']);

        const events = (await dashboardEvents()).slice(before);
        expect(events).toHaveLength(nhl.length);
        expect(events.slice(0, 2)).toEqual([
          { teamId: 'nhl-bos', data: { teamId: 'nhl-bos', reason: 'games' } },
          { teamId: 'nhl-mtl', data: { teamId: 'nhl-mtl', reason: 'games' } },
        ]);
        expect(events.slice(2).map((event) => event.teamId)).toEqual(nhl.filter((id) => id !== 'nhl-bos' && id !== 'nhl-mtl'));
        expect(new Set(events.slice(2).map((event) => (event.data as { reason: string }).reason))).toEqual(new Set(['standings']));
        await eventually(
          () => received.length,
          (count) => count >= 1,
          { timeoutMs: 5_000 },
        );
        expect(received.map((event) => event.data)).toEqual([{ teamId: 'nhl-van', reason: 'standings' }]);

        // The same file again changes nothing and announces nothing.
        await importGames(prisma, { format: 'csv', content: nhlGame(externalId, 'nhl-bos', 'nhl-mtl', 4) });
        expect((await dashboardEvents()).length).toBe(before + nhl.length);
      } finally {
        await bus.close();
      }
    });
  });
}
