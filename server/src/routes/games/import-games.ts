import { AppError } from '@pressbox/db';
import { importGames } from '@pressbox/jobs';
import { z } from 'zod';
import type { Meta } from '../../trpc/meta.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import type { Services } from '../../services.ts';

const rejectionSchema = z.object({
  row: z.number().int().meta({ description: '1-based data row (CSV line after the header, or JSON array index + 1)' }),
  externalId: z.string().optional(),
  reasons: z.array(z.string()),
});

export const importGamesProcedure = adminProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/games/import',
      tags: ['games'],
      summary: 'Import games from CSV or JSON rows',
      description:
        'Send `csv` (with a header row) or `rows` (objects). Columns: league, season, startsAt, homeTeamId, awayTeamId, status, homeScore, awayScore, externalId. Idempotent by externalId: a re-import changes nothing. Valid rows are applied even when others are rejected; each rejection says why.',
    },
  } satisfies Meta)
  .input(
    z
      .object({
        csv: z
          .string()
          .max(1024 * 1024)
          .optional()
          .meta({ description: 'CSV text with a header row' }),
        rows: z.array(z.record(z.string(), z.unknown())).max(5_000).optional().meta({ description: 'Rows as JSON objects' }),
      })
      .refine((body) => (body.csv === undefined) !== (body.rows === undefined), { error: 'send exactly one of csv and rows' }),
  )
  .output(
    z
      .object({
        total: z.number().int(),
        inserted: z.number().int(),
        updated: z.number().int(),
        unchanged: z.number().int(),
        rejected: z.array(rejectionSchema),
      })
      .meta({ id: 'GameImportReport' }),
  )
  .mutation(async ({ ctx, input }) => {
    const content = input.csv ?? JSON.stringify(input.rows ?? []);
    if (content.trim() === '') throw new AppError('BAD_REQUEST', 'The import is empty');
    const result = await importGames(ctx.services.prisma, { format: input.csv === undefined ? 'json' : 'csv', content });
    await announceStandingsChanges(ctx.services, result.changedTeamIds);
    return {
      total: result.total,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      rejected: result.rejected,
    };
  });

/**
 * A changed game moves its league's table, so every team of that league gets a
 * `dashboard.updated`: `games` for the teams that played, `standings` for the others, whose rank
 * (or the number of teams ranked) may have moved. Dashboards are cached per team event, so
 * without this a rival's result would leave a team's rank stale.
 */
async function announceStandingsChanges(services: Pick<Services, 'events' | 'teams'>, changedTeamIds: readonly string[]): Promise<void> {
  const played = new Set(changedTeamIds);
  const leagues = new Set(changedTeamIds.flatMap((teamId) => services.teams.get(teamId)?.league ?? []));
  for (const teamId of changedTeamIds) {
    await services.events.publish({ type: 'dashboard.updated', teamId, data: { teamId, reason: 'games' } });
  }
  for (const team of services.teams.all()) {
    if (!leagues.has(team.league) || played.has(team.id)) continue;
    await services.events.publish({ type: 'dashboard.updated', teamId: team.id, data: { teamId: team.id, reason: 'standings' } });
  }
}
