import { openDatabase, upsertReferenceTeams, type Database } from '@pressbox/db';
import { createRedisEventBus, resumableStream, type EventBus, type Redis, type StoredEvent } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, databaseAvailable, type ScratchPostgres } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { spawnInRepo, type Spawned } from '../support/process.ts';
import { connectTestRedis, deleteKeys, redisAvailable, uniquePrefix } from '../support/redis.ts';
import { eventually } from '../support/waiting.ts';
import { killNow } from './support/pressbox-process.ts';

const FILES = 150;

/** `dashboard.updated` events per team and reason, as the database has them. */
async function dashboardCounts(prisma: Database['prisma']): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<{ teamId: string; reason: string; events: number }[]>`
    SELECT "teamId", "data"->>'reason' AS "reason", count(*)::int AS "events"
    FROM "Event" WHERE "type" = 'dashboard.updated' GROUP BY "teamId", "data"->>'reason'`;
  return new Map(rows.map((row) => [`${row.teamId}:${row.reason}`, row.events]));
}

describe.skipIf(!databaseAvailable('postgres') || !redisAvailable())('a process killed with SIGKILL during games imports', () => {
  let scratch: ScratchPostgres;
  let db: Database;
  let redis: Redis;
  let bus: EventBus;
  let nhl: string[];
  const prefix = uniquePrefix('pbgameskill');
  const importers: Spawned[] = [];
  const received: StoredEvent[] = [];
  const streamAbort = new AbortController();
  let streaming: Promise<void> | undefined;

  beforeAll(async () => {
    scratch = await createScratchPostgres('pb_gameskill');
    db = await openDatabase({ databaseUrl: scratch.url, poolMax: 4 });
    await upsertReferenceTeams(db.prisma);
    redis = connectTestRedis('pbgameskill-test');
    bus = createRedisEventBus({ prisma: db.prisma, url: redisUrl, prefix, name: `${prefix}-subscriber` });
    nhl = (await db.prisma.team.findMany({ where: { league: 'NHL' }, orderBy: { id: 'asc' }, select: { id: true } })).map(
      (team) => team.id,
    );
    const watched = nhl[0] ?? '';
    streaming = (async () => {
      const stream = resumableStream({ bus, teamIds: [watched], types: ['dashboard.updated'], signal: streamAbort.signal });
      for await (const event of stream) received.push(event);
    })();
  }, 60_000);

  afterAll(async () => {
    streamAbort.abort();
    await streaming?.catch(() => undefined);
    await Promise.all(importers.map(killNow));
    await bus.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
    await db.close();
    await scratch.drop();
  }, 60_000);

  function startImporter(): Spawned {
    const importer = spawnInRepo(
      process.execPath,
      ['--conditions=@pressbox/source', '--import', 'tsx', 'test/faults/support/import-games.ts'],
      {
        DATABASE_URL: scratch.url,
        REDIS_URL: redisUrl,
        PRESSBOX_REDIS_PREFIX: prefix,
        FILES: String(FILES),
      },
    );
    importers.push(importer);
    return importer;
  }

  const imported = (importer: Spawned) =>
    importer
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('imported ')).length;

  it('announces every changed dashboard exactly once when the importer dies and the imports are run again', async () => {
    const first = startImporter();
    await eventually(
      () => imported(first),
      (count) => count >= FILES / 5,
      { timeoutMs: 90_000, intervalMs: 2 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${first.stderr()}`);
    });
    await killNow(first);
    const atKill = await db.prisma.game.count();
    expect(atKill, 'killed before the last import').toBeLessThan(FILES);

    // The client saw no answer for the import in flight and sends every file again.
    const second = startImporter();
    const code = await second.exited;
    expect(code, second.stderr()).toBe(0);
    expect(await db.prisma.game.count()).toBe(FILES);

    // Every file moved one NHL game: each NHL team's dashboard is announced once per file.
    const counts = await dashboardCounts(db.prisma);
    let total = 0;
    for (const teamId of nhl) {
      const perTeam = (counts.get(`${teamId}:games`) ?? 0) + (counts.get(`${teamId}:standings`) ?? 0);
      expect(perTeam, teamId).toBe(FILES);
      expect(counts.get(`${teamId}:games`), teamId).toBe(
        [...Array(FILES).keys()].filter((n) => [n % nhl.length, (n + 1) % nhl.length].includes(nhl.indexOf(teamId))).length,
      );
      total += perTeam;
    }
    expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(total);

    await eventually(
      () => received.length,
      (length) => length >= FILES,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(received).toHaveLength(FILES);
    expect(new Set(received.map((event) => event.id)).size).toBe(FILES);
    console.info(
      `SIGKILL during games imports: killed after ${String(atKill)} of ${String(FILES)} imports; ${String(total)} dashboard.updated for ${String(nhl.length)} teams (expected ${String(FILES * nhl.length)}), ${String(received.length)} of ${String(FILES)} delivered live to one team`,
    );
  }, 300_000);
});
