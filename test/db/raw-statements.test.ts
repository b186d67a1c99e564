import { openDatabase, Prisma, type Database } from '@pressbox/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgres, databaseAvailable, pgliteFromSnapshot, type ScratchPostgres } from '../support/databases.ts';

const at = new Date('2026-03-01T12:34:56.789Z');

/** One statement of each kind of value the hot read paths decode. */
const valuesStatement = (label: string) => Prisma.sql`
  SELECT ${label}::text AS label, ${at}::timestamptz AS at, 1.5::real AS score, NULL::real AS missing,
         json_build_array(json_build_object('id', 'nba-bos', 'n', 2)) AS items`;

describe('the raw statement path (Database.sql)', () => {
  describe('on PGlite', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ pglite: await pgliteFromSnapshot() });
    });
    afterAll(async () => {
      await db.close();
    });

    it('decodes timestamptz as Date, real as number and json as values, prepared or not', async () => {
      for (const prepare of [false, true]) {
        const rows = await db.sql.query<Record<string, unknown>>(valuesStatement('x'), { prepare });
        expect(rows).toEqual([{ label: 'x', at, score: 1.5, missing: null, items: [{ id: 'nba-bos', n: 2 }] }]);
      }
    });
  });

  describe.runIf(databaseAvailable('postgres'))('on Postgres', () => {
    let scratch: ScratchPostgres;
    let db: Database;
    beforeAll(async () => {
      scratch = await createScratchPostgres('pressbox_raw');
      // One connection, so what it prepared can be read back through the same pool.
      db = await openDatabase({ databaseUrl: scratch.url, poolMax: 1 });
    });
    afterAll(async () => {
      await db.close();
      await scratch.drop();
    });

    it('decodes the same values as PGlite', async () => {
      const rows = await db.sql.query<Record<string, unknown>>(valuesStatement('x'));
      expect(rows).toEqual([{ label: 'x', at, score: 1.5, missing: null, items: [{ id: 'nba-bos', n: 2 }] }]);
    });

    it('prepares a statement once per connection and binds new values to it after', async () => {
      const prepared = () =>
        db.sql.query<{ name: string; statement: string }>({ text: 'SELECT name, statement FROM pg_prepared_statements', values: [] });
      expect(await prepared()).toEqual([]);
      const first = await db.sql.query<{ label: string }>(valuesStatement('first'), { prepare: true });
      const second = await db.sql.query<{ label: string }>(valuesStatement('second'), { prepare: true });
      expect([first[0]?.label, second[0]?.label]).toEqual(['first', 'second']);
      const names = await prepared();
      expect(names).toHaveLength(1);
      expect(names[0]?.statement).toContain('json_build_array');
    });

    it('answers statements past the budget of prepared texts unnamed, and every one right', async () => {
      for (let index = 0; index < 300; index++) {
        const rows = await db.sql.query<{ n: number }>({ text: `SELECT $1::int + ${String(index)} AS n`, values: [1] }, { prepare: true });
        expect(rows).toEqual([{ n: index + 1 }]);
      }
      const { count } = (
        await db.sql.query<{ count: number }>({ text: 'SELECT count(*)::int AS count FROM pg_prepared_statements', values: [] })
      )[0] ?? {
        count: 0,
      };
      expect(count).toBe(256);
    });

    it('is not prepared unless asked', async () => {
      const before = await db.sql.query<{ count: number }>({
        text: 'SELECT count(*)::int AS count FROM pg_prepared_statements',
        values: [],
      });
      await db.sql.query({ text: 'SELECT 42 AS unprepared', values: [] });
      const after = await db.sql.query<{ count: number }>({
        text: 'SELECT count(*)::int AS count FROM pg_prepared_statements',
        values: [],
      });
      expect(after).toEqual(before);
    });
  });
});
