import { z } from 'zod';
import { teamDashboard } from '../../domain/dashboard.ts';
import { slugId } from '../../schemas/common.ts';
import { dashboardSchema } from '../../schemas/dashboard.ts';
import { timezoneSchema } from '../../schemas/preferences.ts';
import type { Meta } from '../../trpc/meta.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

export const teamDashboardProcedure = protectedProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/teams/{teamId}/dashboard',
      tags: ['teams'],
      summary: 'A team’s dashboard',
      description:
        'Record and standing for the current season (from FINAL games), last five and next game, news per day for 14 days in your time zone (from your preferences unless `timezone` is given), top sources, summary status and follower count.',
    },
  } satisfies Meta)
  .input(z.object({ teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }), timezone: timezoneSchema.optional() }))
  .output(dashboardSchema)
  .query(async ({ ctx, input }) => {
    const team = ctx.services.teams.require(input.teamId);
    const preferences = await ctx.services.prisma.preferences.findUnique({
      where: { userId: ctx.user.id },
      select: { timezone: true, summaryLength: true },
    });
    return teamDashboard(
      {
        prisma: ctx.services.prisma,
        cache: ctx.services.cache,
        teamsById: (id) => ctx.services.teams.get(id),
        teamsOfLeague: (league) => ctx.services.teams.all().filter((candidate) => candidate.league === league),
      },
      team,
      input.timezone ?? preferences?.timezone ?? 'UTC',
      preferences?.summaryLength ?? 'MEDIUM',
    );
  });
