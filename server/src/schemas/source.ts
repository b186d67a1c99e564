import type { FetchAttempt, SourceWithTeams } from '@pressbox/db';
import { z } from 'zod';
import { isoDateTime, slugId } from './common.ts';
import { fetchOutcomeSchema, leagueSchema, sourceKindSchema, sourceStatusSchema } from './enums.ts';

export const sourceSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    name: z.string(),
    kind: sourceKindSchema.nullable().meta({ description: 'Detected on the first successful fetch' }),
    league: leagueSchema.nullable().meta({ description: 'Set for league-wide sources, whose articles are tagged by team names' }),
    teamIds: z.array(z.string()),
    status: sourceStatusSchema.meta({ description: 'FAILING sources keep being polled, less often' }),
    nextFetchAt: isoDateTime,
    lastFetchedAt: isoDateTime.nullable(),
    lastSuccessAt: isoDateTime.nullable(),
    consecutiveErrors: z.number().int(),
    lastError: z.string().nullable(),
    articleCount: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Source' });

export type SourceDto = z.infer<typeof sourceSchema>;

export function toSourceDto(source: SourceWithTeams): SourceDto {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: source.id,
    url: source.url,
    name: source.name,
    kind: source.kind,
    league: source.league,
    teamIds: source.teamIds,
    status: source.status,
    nextFetchAt: source.nextFetchAt.toISOString(),
    lastFetchedAt: iso(source.lastFetchedAt),
    lastSuccessAt: iso(source.lastSuccessAt),
    consecutiveErrors: source.consecutiveErrors,
    lastError: source.lastError,
    articleCount: source.articleCount,
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
  };
}

export const feedUrlSchema = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .max(2048)
  .meta({ description: 'The feed URL (RSS, Atom, RDF or JSON Feed)', examples: ['https://www.example.com/nba/celtics/rss.xml'] });

export const sourceIdSchema = z.uuid().meta({ description: 'Source id' });
export const teamIdsSchema = z.array(slugId).max(50);

export const fetchAttemptSchema = z
  .object({
    id: z.uuid(),
    startedAt: isoDateTime,
    durationMs: z.number().int().meta({ description: 'How long the fetch, parse and store took' }),
    outcome: fetchOutcomeSchema.meta({
      description:
        '`STORED`: the document was read and its entries stored; `NOT_MODIFIED`: the feed answered 304; `FAILED`: see `error`; `SKIPPED`: the source was paused',
    }),
    httpStatus: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Status of the feed’s answer; null when none came (DNS, timeout, blocked address)' }),
    bytes: z.number().int().nullable().meta({ description: 'Size of the document, after decompression' }),
    created: z.number().int().meta({ description: 'New articles' }),
    updated: z.number().int().meta({ description: 'Articles the publisher edited' }),
    unchanged: z.number().int().meta({ description: 'Entries already stored as they are' }),
    linked: z.number().int().meta({ description: 'Articles another source had already stored, now also carried by this one' }),
    newsByTeam: z
      .record(z.string(), z.number().int())
      .meta({ description: 'Articles that were news to each team', examples: [{ 'nba-bos': 3 }] }),
    error: z.string().nullable(),
    jobId: z.string().nullable(),
    nextFetchAt: isoDateTime.nullable().meta({ description: 'When the source was scheduled next, after this attempt' }),
  })
  .meta({ id: 'FetchAttempt' });

export type FetchAttemptDto = z.infer<typeof fetchAttemptSchema>;

export function toFetchAttemptDto(attempt: FetchAttempt & { id: string }): FetchAttemptDto {
  return {
    ...attempt,
    startedAt: attempt.startedAt.toISOString(),
    nextFetchAt: attempt.nextFetchAt ? attempt.nextFetchAt.toISOString() : null,
  };
}
