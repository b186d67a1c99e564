import { z } from 'zod';
import { digestSchema, summaryLengthSchema } from '../../../schemas/enums.ts';
import { localeSchema, preferencesSchema, teamIdList, timezoneSchema, versionSchema } from '../../../schemas/preferences.ts';
import type { Meta } from '../../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'PATCH',
    path: '/me/preferences',
    tags: ['me'],
    summary: 'Change some of your preferences',
    description: 'Send the fields to change and the `version` you read. A stale version is a 409 and nothing is written.',
  },
  errors: ['NOT_FOUND', 'CONFLICT'],
} satisfies Meta;

export const input = z.object({
  summaryLength: summaryLengthSchema.optional(),
  digest: digestSchema.optional(),
  timezone: timezoneSchema.optional(),
  locale: localeSchema.optional(),
  followedTeamIds: teamIdList.optional().meta({ description: 'The complete set of teams to follow' }),
  version: versionSchema,
});
export const output = preferencesSchema;
