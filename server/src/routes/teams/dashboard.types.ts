import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { dashboardSchema } from '../../schemas/dashboard.ts';
import { timezoneSchema } from '../../schemas/preferences.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/teams/{teamId}/dashboard',
    tags: ['teams'],
    summary: 'A team’s dashboard',
    description:
      'Record and standing for the current season (from FINAL games), last five and next game, news per day for 14 days in your time zone (from your preferences unless `timezone` is given), top sources, summary status and follower count.',
  },
} satisfies Meta;

export const input = z.object({
  teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }),
  timezone: timezoneSchema.optional(),
});
export const output = dashboardSchema;
