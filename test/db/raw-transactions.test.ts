import { isDatabaseUnavailable, isTransactionConflict, openDatabase, Prisma, type Database, type SqlRunner } from '@pressbox/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, databaseAvailable, pgliteFromSnapshot, type ScratchPostgres } from '../support/databases.ts';

const insert = (runner: SqlRunner, id: number) => runner.query(Prisma.sql`INSERT INTO "TxProbe" ("id") VALUES (${id})`);
const ids = async (runner: SqlRunner) =>
  (await runner.query<{ id: number }>({ text: 'SELECT "id" FROM "TxProbe" ORDER BY "id"', values: [] })).map((row) => row.id);

/** Behaviour both backends share: commit, rollback, and the driver's own errors surfacing. */
function sharedCases(open: () => Database) {
  it('commits what the work sent and returns its result', async () => {
    const db = open();
    const result = await db.sql.transaction(async (tx) => {
      await insert(tx, 1);
      await insert(tx, 2);
      return ids(tx);
    });
    expect(result).toEqual(expect.arrayContaining([1, 2]));
    expect(await ids(db.sql)).toEqual(expect.arrayContaining([1, 2]));
  });

  it('rolls back everything when the work throws, and rethrows its error', async () => {
    const db = open();
    const failure = new Error('the work failed');
    await expect(
      db.sql.transaction(async (tx) => {
        await insert(tx, 3);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await ids(db.sql)).not.toContain(3);
  });

  it('surfaces a unique violation as the driver reports it: SQLSTATE 23505, a conflict worth retrying, not an outage', async () => {
    const db = open();
    const error: unknown = await db.sql
      .transaction(async (tx) => {
        await insert(tx, 4);
        await insert(tx, 4);
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23505' });
    expect(isTransactionConflict(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(await ids(db.sql)).not.toContain(4);
    // The connection is usable again once the transaction rolled back.
    await db.sql.transaction((tx) => insert(tx, 5));
    expect(await ids(db.sql)).toContain(5);
  });
}

describe('transactions on the raw statement path (Database.sql.transaction)', () => {
  describe('on PGlite', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ pglite: await pgliteFromSnapshot() });
      await db.sql.query({ text: 'CREATE TABLE "TxProbe" ("id" int PRIMARY KEY)', values: [] });
    });
    afterAll(async () => {
      await db.close();
    });

    sharedCases(() => db);

    it('holds the one connection until it ends: statements from outside, Prisma too, run after it and see it committed', async () => {
      const outside: Promise<unknown>[] = [];
      await db.sql.transaction(async (tx) => {
        await insert(tx, 10);
        outside.push(ids(db.sql), db.prisma.$queryRaw`SELECT count(*)::int AS "count" FROM "TxProbe"`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await insert(tx, 11);
      });
      const [seen, counted] = await Promise.all(outside);
      expect(seen).toEqual(expect.arrayContaining([10, 11]));
      expect(counted).toEqual([{ count: (seen as number[]).length }]);
    });
  });

  describe.runIf(databaseAvailable('postgres'))('on Postgres', () => {
    let scratch: ScratchPostgres;
    let db: Database;
    beforeAll(async () => {
      scratch = await createScratchPostgres('pressbox_rawtx');
      db = await openDatabase({ databaseUrl: scratch.url, poolMax: 2 });
      await db.sql.query({ text: 'CREATE TABLE "TxProbe" ("id" int PRIMARY KEY)', values: [] });
    });
    afterAll(async () => {
      await db.close();
      await scratch.drop();
    });

    sharedCases(() => db);

    it('keeps its rows from every other connection until it commits', async () => {
      const during = await db.sql.transaction(async (tx) => {
        await insert(tx, 20);
        return { inside: await ids(tx), outside: await ids(db.sql) };
      });
      expect(during.inside).toContain(20);
      expect(during.outside).not.toContain(20);
      expect(await ids(db.sql)).toContain(20);
    });

    it('surfaces a connection lost mid-transaction as an outage and does not hand the dead connection out again', async () => {
      const error: unknown = await db.sql
        .transaction(async (tx) => {
          await insert(tx, 30);
          const [backend] = await tx.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid', values: [] });
          await db.sql.query({ text: 'SELECT pg_terminate_backend($1)', values: [backend?.pid] });
          await insert(tx, 31);
        })
        .catch((caught: unknown) => caught);
      expect(isDatabaseUnavailable(error)).toBe(true);
      // Every connection of the pool (two) answers afterwards.
      for (let round = 0; round < 4; round++) {
        await Promise.all([ids(db.sql), db.sql.transaction((tx) => ids(tx))]);
      }
      expect(await ids(db.sql)).not.toContain(30);
    });

    it('surfaces an unreachable database as an outage', async () => {
      const url = new URL(scratch.url);
      url.port = '1';
      const unreachable = await openDatabase({ databaseUrl: url.toString(), migrate: false });
      try {
        const error: unknown = await unreachable.sql.transaction((tx) => ids(tx)).catch((caught: unknown) => caught);
        expect(isDatabaseUnavailable(error)).toBe(true);
      } finally {
        await unreachable.close();
      }
    });
  });
});
