/* eslint-disable security/detect-non-literal-fs-filename -- paths come from configuration and the migrations folder, never from request input */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The migrations folder that `prisma migrate dev` writes and every database is built from. */
export const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

/** A connection that can run multi-statement SQL and parameterised queries. */
export interface MigrationConnection {
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Same table Prisma's CLI keeps, so `prisma migrate status` agrees with what ran here. */
const createHistoryTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies pending migrations in name order, each in its own transaction, and records them the
 * way Prisma does. Refuses to go on when an applied migration was edited or a previous run failed.
 * The caller holds whatever lock keeps two processes from migrating the same database at once.
 */
export async function applyMigrations(connection: MigrationConnection, migrations: Migration[]): Promise<MigrationResult> {
  await connection.exec(createHistoryTable);
  const history = await connection.query<HistoryRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const done = new Map<string, HistoryRow>();
  for (const row of history) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${row.migration_name} started but did not finish; resolve it with \`prisma migrate resolve\` before starting again`,
      );
    }
    done.set(row.migration_name, row);
  }

  const applied: string[] = [];
  for (const migration of migrations) {
    const previous = done.get(migration.name);
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        throw new MigrationError(`Migration ${migration.name} was modified after it was applied`);
      }
      continue;
    }
    try {
      await connection.exec(`BEGIN;\n${migration.sql}\n;`);
      await connection.query(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await connection.exec('COMMIT');
    } catch (error) {
      await connection.exec('ROLLBACK').catch(() => undefined);
      throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
    applied.push(migration.name);
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}
