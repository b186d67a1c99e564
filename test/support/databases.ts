import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, upsertReferenceTeams, type Database, type DatabaseKind } from '@pressbox/db';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { postgresAdminUrl } from './environment.ts';

export const databaseKinds: DatabaseKind[] = ['pglite', 'postgres'];

/** False when the service is missing outside CI (the global setup already failed the run in CI). */
export function databaseAvailable(kind: DatabaseKind): boolean {
  return kind === 'pglite' || inject('postgresAvailable');
}

/** A PGlite loaded from the run's migrated snapshot: a fresh, private database in ~0.5 s. */
export async function pgliteFromSnapshot(): Promise<PGlite> {
  const tarball = await readFile(inject('pgliteSnapshot'));
  return PGlite.create({ loadDataDir: new Blob([tarball]) });
}

export interface ScratchPostgres {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty Postgres database with a random name; `drop()` removes it. */
export async function createScratchPostgres(prefix = 'pressbox_t'): Promise<ScratchPostgres> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestDatabase {
  db: Database;
  /** Postgres URL of the scratch database (undefined for PGlite). */
  url: string | undefined;
  close(): Promise<void>;
}

/** A migrated database with the reference teams, of either kind, private to the caller. */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const pglite = await pgliteFromSnapshot();
    const db = await openDatabase({ pglite });
    return {
      db,
      url: undefined,
      close: async () => {
        await db.close();
        await pglite.close();
      },
    };
  }
  const scratch = await createScratchPostgres();
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 5 });
  await upsertReferenceTeams(db.prisma);
  return {
    db,
    url: scratch.url,
    close: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}

/**
 * Opens a private database of `kind` before the tests of the enclosing suite (when the service is
 * there; outside CI a missing Postgres leaves it unopened) and closes it after them. `opened` runs
 * once it is open: the place to keep its client and seed what every test of the suite reads.
 */
export function useTestDatabase(kind: DatabaseKind, opened: (test: TestDatabase) => void | Promise<void>): void {
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    if (!databaseAvailable(kind)) return;
    test = await openTestDatabase(kind);
    await opened(test);
  });
  afterAll(async () => {
    await test?.close();
  });
}
