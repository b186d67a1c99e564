import { z } from 'zod';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'POST',
    path: '/games/import',
    tags: ['games'],
    summary: 'Import games from CSV or JSON rows',
    description:
      'Send `csv` (with a header row) or `rows` (objects). Columns: league, season, startsAt, homeTeamId, awayTeamId, status, homeScore, awayScore, externalId. Idempotent by externalId: a re-import changes nothing. Valid rows are applied even when others are rejected; each rejection says why.',
  },
} satisfies Meta;

const rejectionSchema = z.object({
  row: z.number().int().meta({ description: '1-based data row (CSV line after the header, or JSON array index + 1)' }),
  externalId: z.string().optional(),
  reasons: z.array(z.string()),
});

export const input = z
  .object({
    csv: z
      .string()
      .max(1024 * 1024)
      .optional()
      .meta({ description: 'CSV text with a header row' }),
    rows: z.array(z.record(z.string(), z.unknown())).max(5_000).optional().meta({ description: 'Rows as JSON objects' }),
  })
  .refine((body) => (body.csv === undefined) !== (body.rows === undefined), { error: 'send exactly one of csv and rows' });

export const output = z
  .object({
    total: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(rejectionSchema),
  })
  .meta({ id: 'GameImportReport' });
