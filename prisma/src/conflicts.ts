/**
 * SQLSTATEs of a transaction that lost a race with a concurrent one and may succeed when run
 * again: 40001 serialization failure, 40P01 deadlock, 23505 unique violation (a concurrent run
 * inserted the key first; the next run sees it).
 */
const conflictStates = new Set(['40001', '40P01', '23505']);

/** Prisma's code for a transaction that failed on a write conflict or deadlock. */
const PRISMA_WRITE_CONFLICT = 'P2034';

/**
 * True when an error says the transaction collided with a concurrent one (see `conflictStates`),
 * whether it comes from the raw driver (`code` is the SQLSTATE) or through Prisma (P2034, or the
 * SQLSTATE in its message or in `meta.driverAdapterError.cause.originalCode`).
 *
 * @example
 * isTransactionConflict(Object.assign(new Error('duplicate key value'), { code: '23505' })) // true
 * isTransactionConflict(Object.assign(new Error('syntax error'), { code: '42601' })) // false
 */
export function isTransactionConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, meta } = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } };
  if (code === PRISMA_WRITE_CONFLICT || (typeof code === 'string' && conflictStates.has(code))) return true;
  const original = (meta?.driverAdapterError?.cause as { originalCode?: unknown } | undefined)?.originalCode;
  if (typeof original === 'string' && conflictStates.has(original)) return true;
  return typeof message === 'string' && /deadlock detected|could not serialize access|40P01|40001/i.test(message);
}
