import { z } from 'zod';
import { digestSchema, summaryLengthSchema } from '../../../schemas/enums.ts';
import { localeSchema, preferencesSchema, teamIdList, timezoneSchema, versionSchema } from '../../../schemas/preferences.ts';
import type { Meta } from '../../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'PUT',
    path: '/me/preferences',
    tags: ['me'],
    summary: 'Replace your preferences',
    description: 'Send every field and the `version` you read. A stale version is a 409 and nothing is written.',
  },
  errors: ['NOT_FOUND', 'CONFLICT'],
} satisfies Meta;

export const input = z.object({
  summaryLength: summaryLengthSchema,
  digest: digestSchema,
  timezone: timezoneSchema,
  locale: localeSchema,
  followedTeamIds: teamIdList.meta({ description: 'The complete set of teams to follow' }),
  version: versionSchema,
});
export const output = preferencesSchema;
