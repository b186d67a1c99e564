import { AppError } from './errors.ts';

/** Opaque keyset cursors: base64url JSON of the sort key of the last row a page returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}; returns undefined for anything else, so callers
 * can answer a clear 400 instead of a 500 when a client sends a cursor it made up.
 */
export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] | undefined {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== shape.length) return undefined;
  const items: unknown[] = value;
  return items.every((item, index) => typeof item === shape[index]) ? (items as (string | number)[]) : undefined;
}

export function decodeCursorOrThrow(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  const key = decodeCursor(cursor, shape);
  if (key === undefined) throw new AppError('BAD_REQUEST', 'The cursor is not one this list returned');
  return key;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Turns `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
