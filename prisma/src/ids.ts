import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (time-ordered), like the schema's `uuid(7)` default, which Prisma fills in on the client
 * and raw SQL cannot: code that inserts with SQL, or needs an id before the insert, calls this.
 * The 48-bit millisecond time comes first; the random bits are those of a v4 UUID from
 * `randomUUID` (whose variant bits a v7 shares), which draws from a pooled entropy cache instead
 * of asking the system for 16 bytes per id.
 */
export function uuidv7(now: number = Date.now()): string {
  const random = randomUUID();
  const time = Math.trunc(now).toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
