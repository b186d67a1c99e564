import type { SourceWithTeams } from '@pressbox/db';
import { z } from 'zod';
import { isoDateTime, slugId } from './common.ts';
import { leagueSchema, sourceKindSchema, sourceStatusSchema } from './enums.ts';

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
