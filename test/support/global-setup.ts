import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, readMigrations, upsertReferenceTeams, openDatabase } from '@pressbox/db';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresAdminUrl, redisUrl, servicesRequired } from './environment.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresAvailable: boolean;
    redisAvailable: boolean;
  }
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Runs once per test run: checks the real services (required in CI) and builds one migrated,
 * reference-seeded PGlite snapshot that every test file loads in ~0.5 s instead of creating and
 * migrating its own database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgresAvailable, redisAvailable] = await Promise.all([postgresAnswers(), redisAnswers()]);
  if (servicesRequired && (!postgresAvailable || !redisAvailable)) {
    throw new Error(
      `CI requires PostgreSQL (${postgresAdminUrl}: ${postgresAvailable ? 'ok' : 'unreachable'}) and Redis (${redisUrl}: ${redisAvailable ? 'ok' : 'unreachable'})`,
    );
  }
  if (!postgresAvailable) console.warn(`PostgreSQL at ${postgresAdminUrl} is unreachable: Postgres suites are skipped`);
  if (!redisAvailable) console.warn(`Redis at ${redisUrl} is unreachable: Redis suites are skipped`);

  const dir = await mkdtemp(join(tmpdir(), 'pressbox-test-'));
  const pglite = await PGlite.create();
  const db = await openDatabase({ pglite, migrate: false });
  await applyMigrations(
    {
      exec: async (sql) => {
        await pglite.exec(sql);
      },
      query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
    },
    await readMigrations(),
  );
  await upsertReferenceTeams(db.prisma);
  await db.close();
  const snapshot = join(dir, 'pglite-snapshot.tar');
  await writeFile(snapshot, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  await pglite.close();

  project.provide('pgliteSnapshot', snapshot);
  project.provide('postgresAvailable', postgresAvailable);
  project.provide('redisAvailable', redisAvailable);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
