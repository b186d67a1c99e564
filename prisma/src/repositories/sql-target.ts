import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { SqlRunner, SqlStatement } from '../sql.ts';

/**
 * Where a hand-written statement may go: the raw path (`Database.sql`, or the runner of one of its
 * transactions) or a Prisma client or interactive transaction, for callers still on Prisma.
 */
export type SqlTarget = SqlRunner | PrismaClient | Prisma.TransactionClient;

/**
 * The target as a `SqlRunner`. Through Prisma, rows are decoded by Prisma (`bigint` as BigInt);
 * the statements that take either target read only types both decode alike, or say otherwise.
 */
export function runnerOf(target: SqlTarget): SqlRunner {
  if (!('$queryRawUnsafe' in target)) return target;
  return {
    query: <Row>(statement: SqlStatement) => target.$queryRawUnsafe<Row[]>(statement.text, ...statement.values),
  };
}
