import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { isDatabaseUnavailable } from './outages.ts';

/** One parameterised statement, as `Prisma.sql` builds it: `$1`-style text and its values. */
export interface SqlStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * Sends statements straight to the driver (the `pg` pool or PGlite), without Prisma's result
 * decoding: for hot paths whose statement is written by hand anyway. Rows come as the driver
 * decodes them, alike on both: `timestamptz` as `Date`, `json` parsed, `real` as number, arrays
 * as arrays; `bigint` differs (a string on Postgres, a bigint on PGlite).
 */
export interface SqlRunner {
  /**
   * `prepare` names the statement on Postgres, so each connection parses and plans its text once
   * and then only binds values: for statements sent on every request. PGlite runs in this
   * process and has nothing to save.
   */
  query<Row>(statement: SqlStatement, options?: { prepare?: boolean }): Promise<Row[]>;
}

/** The raw statement path of a database: statements on their own, or several in one transaction. */
export interface TransactionalSql extends SqlRunner {
  /**
   * Runs `work` in one transaction on one connection: BEGIN, the statements `work` sends through
   * the runner it is given, then COMMIT, or ROLLBACK when `work` throws (its error is rethrown as
   * the driver gave it: a SQLSTATE in `code`, or a socket error). Outside the runner nothing sees
   * the transaction's rows before it commits. On PGlite, which has one connection, every other
   * statement (Prisma's too) waits until it ends: `work` must send all of its statements through
   * the runner.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** Distinct statement texts prepared per process; past it statements are sent unnamed (each connection keeps what it prepared). */
const MAX_PREPARED = 256;

/** The name a prepared statement text goes by, the same on every connection; undefined once the budget is spent. */
function statementNames(): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `pressbox_${String(names.size)}`;
      names.set(text, name);
    }
    return name;
  };
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** The raw path over a `pg` pool: each statement on any free connection, a transaction on one of its own. */
export function postgresSql(pool: pg.Pool): TransactionalSql {
  const nameOf = statementNames();
  const runnerOn = (target: Queryable): SqlRunner => ({
    query: async <Row>(statement: SqlStatement, options?: { prepare?: boolean }) => {
      const name = options?.prepare ? nameOf(statement.text) : undefined;
      const values = statement.values as unknown[];
      const result = name ? await target.query({ name, text: statement.text, values }) : await target.query(statement.text, values);
      return result.rows as Row[];
    },
  });
  return { ...runnerOn(pool), transaction: (work) => transactionOn(pool, runnerOn, work) };
}

async function transactionOn<T>(
  pool: pg.Pool,
  runnerOn: (client: pg.PoolClient) => SqlRunner,
  work: (tx: SqlRunner) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A connection lost while checked out reports here (else the error event would go unheard);
  // its statements then fail and the client is destroyed instead of going back to the pool.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    try {
      const result = await work(runnerOn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken ??= rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed');
      });
      throw error;
    }
  } catch (error) {
    if (isDatabaseUnavailable(error)) broken ??= error instanceof Error ? error : new Error('the connection was lost');
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** The raw path over PGlite: its one connection, a transaction holding it until it ends (as Prisma's adapter does). */
export function pgliteSql(pglite: PGlite): TransactionalSql {
  const runnerOn = (target: PGlite | Transaction): SqlRunner => ({
    query: async <Row>(statement: SqlStatement) => (await target.query<Row>(statement.text, statement.values as unknown[])).rows,
  });
  return { ...runnerOn(pglite), transaction: (work) => pglite.transaction((tx) => work(runnerOn(tx))) };
}
