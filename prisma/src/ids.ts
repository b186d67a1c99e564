import { randomBytes } from 'node:crypto';

/**
 * A UUIDv7 (time-ordered), like the schema's `uuid(7)` default, which Prisma fills in on the client
 * and raw SQL cannot: code that inserts with SQL, or needs an id before the insert, calls this.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x70, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
