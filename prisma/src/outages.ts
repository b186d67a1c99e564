/** Prisma's codes for a database it could not reach, lost, or waited too long for. */
const prismaCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** What the driver adapters call an unreachable or lost database. */
const adapterKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * SQLSTATEs of a server that is going away, starting or full: class 08 (connection exception),
 * 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections).
 */
function isOutageSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const driverMessages = ['Connection terminated', 'timeout exceeded when trying to connect', 'Client has encountered a connection error'];

interface Inspectable {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

function describesOutage(value: Inspectable): boolean {
  const code = typeof value.code === 'string' ? value.code : undefined;
  if (code && (prismaCodes.has(code) || socketCodes.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isOutageSqlState(code)))) return true;
  if (typeof value.originalCode === 'string' && isOutageSqlState(value.originalCode)) return true;
  if (typeof value.kind === 'string' && adapterKinds.has(value.kind)) return true;
  const message = typeof value.message === 'string' ? value.message : '';
  return driverMessages.some((text) => message.includes(text));
}

/**
 * True when an error says the database could not be reached, went away or is refusing
 * connections (it is restarting, its sessions were terminated, its connection slots are full),
 * as opposed to a query it refused: a caller should see 503 and try again, not a 500. Reads
 * Prisma's codes, the driver adapter's error kinds, SQLSTATEs and socket errors, following
 * `cause` and Prisma's `meta.driverAdapterError`.
 *
 * @example
 * isDatabaseUnavailable(error) // P1001 "Can't reach database server" → true; P2002 unique violation → false
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const value = error as Inspectable;
  if (describesOutage(value)) return true;
  return isDatabaseUnavailable(value.meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(value.cause, depth + 1);
}
