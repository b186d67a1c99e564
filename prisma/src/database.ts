/* eslint-disable security/detect-non-literal-fs-filename -- paths come from configuration and the migrations folder, never from request input */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.ts';
import { applyMigrations, readMigrations, type MigrationConnection, type MigrationResult } from './migrations.ts';
import { pgliteSql, postgresSql, type TransactionalSql } from './sql.ts';

export type { SqlRunner, SqlStatement, TransactionalSql } from './sql.ts';

export type DatabaseKind = 'postgres' | 'pglite';

/** The one handle the rest of Pressbox uses, whichever database is behind it. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly prisma: PrismaClient;
  /** Migrations applied when the database was opened (empty when migration was turned off). */
  readonly migrations: MigrationResult;
  /** True when the database held no migration history before it was opened. */
  readonly wasEmpty: boolean;
  /** The raw statement path (see `SqlRunner`, `TransactionalSql`); reads outside a transaction only see committed data. */
  readonly sql: TransactionalSql;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Postgres connection string; without it Pressbox embeds PGlite. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; without it PGlite keeps everything in memory. */
  dataDir?: string | undefined;
  /** A PGlite instance to adopt instead of creating one (tests load snapshots this way). */
  pglite?: PGlite | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean | undefined;
  /** Largest Postgres pool (default 10). */
  poolMax?: number | undefined;
}

/** Same lock id as Prisma's CLI, so `prisma migrate deploy` and Pressbox never migrate at once. */
const MIGRATION_LOCK_ID = 72707369;
const STATEMENT_TIMEOUT_MS = 30_000;

/**
 * Opens Postgres when a URL is given, else embedded PGlite, migrates it with the same
 * migration files and returns a Prisma client over a driver adapter.
 *
 * @example
 * const db = await openDatabase({ dataDir: './.pressbox' });
 * const teams = await db.prisma.team.findMany();
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'pressbox',
  });
  pool.on('error', () => undefined);
  try {
    let migrations: MigrationResult = { applied: [], alreadyApplied: 0 };
    let wasEmpty = false;
    if (options.migrate !== false) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        const connection: MigrationConnection = {
          exec: async (sql) => {
            await client.query(sql);
          },
          query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
        };
        wasEmpty = !(await hasHistory(connection));
        migrations = await applyMigrations(connection, await readMigrations());
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        client.release();
      }
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      kind: 'postgres',
      prisma,
      migrations,
      wasEmpty,
      sql: postgresSql(pool),
      ping: async () => {
        await pool.query('SELECT 1');
      },
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const releaseLock = options.dataDir && !options.pglite ? await lockDataDir(options.dataDir) : undefined;
  let pglite: PGlite | undefined;
  try {
    pglite = options.pglite ?? (await PGlite.create(options.dataDir ? join(options.dataDir, 'pgdata') : undefined));
    const client = pglite;
    const connection: MigrationConnection = {
      exec: async (sql) => {
        await client.exec(sql);
      },
      query: async <Row>(sql: string, params?: unknown[]) => (await client.query<Row>(sql, params)).rows,
    };
    let migrations: MigrationResult = { applied: [], alreadyApplied: 0 };
    const wasEmpty = !(await hasHistory(connection));
    if (options.migrate !== false) {
      migrations = await applyMigrations(connection, await readMigrations());
      // PGlite learns array types (`"MatchedBy"[]`) when it opens; types the migrations just
      // created would otherwise be sent as comma-joined text and refused.
      if (migrations.applied.length > 0) await client.refreshArrayTypes();
    }
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
    return {
      kind: 'pglite',
      prisma,
      migrations,
      wasEmpty,
      sql: pgliteSql(client),
      ping: async () => {
        await client.query('SELECT 1');
      },
      close: async () => {
        await prisma.$disconnect();
        if (!options.pglite) await client.close();
        await releaseLock?.();
      },
    };
  } catch (error) {
    if (pglite && !options.pglite) await pglite.close().catch(() => undefined);
    await releaseLock?.();
    throw error;
  }
}

async function hasHistory(connection: MigrationConnection): Promise<boolean> {
  const rows = await connection.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`);
  return rows[0]?.exists === true;
}

/** PGlite is single-process: a second Pressbox on the same folder would corrupt it. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${String(holder)}; stop it or set PRESSBOX_DATA_DIR to another folder`,
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
