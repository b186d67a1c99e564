import { saveSummary, summarizedLengths, type SummaryLength } from '@pressbox/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * Reads whose order the differential suite once saw differ between PGlite and Postgres: rows
 * stored out of order must come back in the promised order on both.
 */
describe.each(databaseKinds)('orders on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });

  afterAll(async () => {
    await database.close();
  });

  it.skipIf(!databaseAvailable(kind))('lists summarised (team, length) pairs by team, then length', async () => {
    const stored: [string, SummaryLength][] = [
      ['nba-was', 'LONG'],
      ['epl-ars', 'MEDIUM'],
      ['nba-bos', 'SHORT'],
      ['epl-ars', 'SHORT'],
      ['nba-bos', 'LONG'],
      ['epl-ars', 'MEDIUM'],
    ];
    for (const [index, [teamId, length]] of stored.entries()) {
      await saveSummary(
        database.db.prisma,
        { teamId, length, inputVersion: `v${String(index)}` },
        {
          articleIds: [],
          provider: 'fake',
          model: 'm',
          text: 't',
          bullets: [],
          durationMs: 1,
          attempts: 1,
          promptTokens: null,
          completionTokens: null,
          generatedAt: new Date(Date.UTC(2025, 0, 1, 0, index)),
        },
        false,
      );
    }

    const pairs = await summarizedLengths(database.db.prisma, ['nba-bos', 'nba-was', 'epl-ars', 'mlb-nyy']);

    expect(pairs.map((pair) => `${pair.teamId}/${pair.length}`)).toEqual([
      'epl-ars/SHORT',
      'epl-ars/MEDIUM',
      'nba-bos/SHORT',
      'nba-bos/LONG',
      'nba-was/LONG',
    ]);
  });
});
