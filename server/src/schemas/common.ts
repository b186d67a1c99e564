import { z } from 'zod';

/** ISO-8601 timestamp with offset; the same string over tRPC and REST. */
export const isoDateTime = z.iso
  .datetime({ offset: true })
  .meta({ description: 'ISO-8601 date-time', examples: ['2026-11-26T15:04:05.000Z'] });

export function toIso(date: Date): string {
  return date.toISOString();
}

export const limitSchema = z
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .meta({ description: 'Page size, 1–100', examples: [20] });

export const cursorSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor this API returned')
  .meta({ description: 'Opaque cursor from the previous page’s `nextCursor`' });

/** `{ items, nextCursor }`: the one page shape of every list. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` to get the next page; null on the last page' }),
    })
    .meta({ id });
}

/** A path segment id: decoded, trimmed of nothing, bounded. */
export const slugId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a slug such as nba-bos');
