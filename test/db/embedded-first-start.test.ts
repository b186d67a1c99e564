import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSource, openDatabase, Prisma, upsertReferenceTeams, type Database } from '@pressbox/db';
import { createFeedFetcher, refreshSource } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedFixtures, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';

describe('the embedded database on its very first start', () => {
  let server: FeedServer;
  const fetcher = createFeedFetcher({ allowPrivateNetworks: true });

  beforeAll(async () => {
    server = await startFeedServer();
  });

  afterAll(async () => {
    await server.close();
  });

  async function withFreshDataDir(run: (db: Database, dataDir: string) => Promise<void>): Promise<void> {
    const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-first-start-'));
    try {
      await run(await openDatabase({ dataDir }), dataDir);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  it('takes arrays of the enums its migrations just created (feed ingestion tags articles this way)', async () => {
    await withFreshDataDir(async (db) => {
      try {
        expect(db.migrations.applied.length).toBeGreaterThan(0);
        const rows = await db.prisma.$queryRaw<{ values: string[] }[]>(
          Prisma.sql`SELECT ${['SOURCE', 'ALIAS']}::"MatchedBy"[] AS "values"`,
        );
        expect(rows[0]?.values).toEqual(['SOURCE', 'ALIAS']);
      } finally {
        await db.close();
      }
    });
  });

  it('stores a team feed refreshed right after migrating, with every article tagged by its source', async () => {
    await withFreshDataDir(async (db) => {
      try {
        await upsertReferenceTeams(db.prisma);
        const url = server.url(`/feeds/${feedFixtures.rss2}`);
        const source = await createSource(db.prisma, { url, name: 'Team feed', teamIds: ['nba-lal', 'nba-bos'] });
        const outcome = await refreshSource(db, source.id, { fetcher });
        expect(outcome).toMatchObject({ status: 'stored', created: [{}, {}, {}] });
        const tags = await db.prisma.articleTeam.groupBy({ by: ['teamId', 'matchedBy'], _count: true, orderBy: { teamId: 'asc' } });
        expect(tags.map((tag) => [tag.teamId, tag.matchedBy, tag._count])).toEqual([
          ['nba-bos', 'SOURCE', 3],
          ['nba-lal', 'SOURCE', 3],
        ]);
      } finally {
        await db.close();
      }
    });
  });

  it('stores league-wide and team feeds after a restart on the same folder (nothing left to migrate)', async () => {
    await withFreshDataDir(async (first, dataDir) => {
      await upsertReferenceTeams(first.prisma);
      await first.close();
      const again = await openDatabase({ dataDir });
      try {
        expect(again.migrations.applied).toEqual([]);
        const league = await createSource(again.prisma, {
          url: server.url(`/feeds/${feedFixtures.leagueWide}`),
          name: 'League',
          league: 'NBA',
          teamIds: [],
        });
        const both = await createSource(again.prisma, {
          url: server.url(`/feeds/${feedFixtures.atom}`),
          name: 'Both',
          league: 'NBA',
          teamIds: ['nba-mil'],
        });
        expect(await refreshSource(again, league.id, { fetcher })).toMatchObject({ status: 'stored' });
        expect(await refreshSource(again, both.id, { fetcher })).toMatchObject({ status: 'stored' });
        expect(await again.prisma.articleTeam.count({ where: { matchedBy: 'SOURCE', teamId: 'nba-mil' } })).toBeGreaterThan(0);
        expect(await again.prisma.articleTeam.count({ where: { matchedBy: { in: ['NAME', 'ALIAS'] } } })).toBeGreaterThan(0);
      } finally {
        await again.close();
      }
    });
  });
});
