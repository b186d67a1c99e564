import { z } from 'zod';
import { digestSchema, summaryLengthSchema } from '../../schemas/enums.ts';
import { localeSchema, preferencesSchema, teamIdList, timezoneSchema, versionSchema } from '../../schemas/preferences.ts';
import type { Meta } from '../../trpc/meta.ts';

export const getPreferencesMeta = {
  openapi: { method: 'GET', path: '/me/preferences', tags: ['me'], summary: 'Your preferences (defaults for a new user)' },
} satisfies Meta;

export const putPreferencesMeta = {
  openapi: {
    method: 'PUT',
    path: '/me/preferences',
    tags: ['me'],
    summary: 'Replace your preferences',
    description: 'Send every field and the `version` you read. A stale version is a 409 and nothing is written.',
  },
  errors: ['CONFLICT'],
} satisfies Meta;

export const patchPreferencesMeta = {
  openapi: {
    method: 'PATCH',
    path: '/me/preferences',
    tags: ['me'],
    summary: 'Change some of your preferences',
    description: 'Send the fields to change and the `version` you read. A stale version is a 409 and nothing is written.',
  },
  errors: ['CONFLICT'],
} satisfies Meta;

export const putPreferencesInput = z.object({
  summaryLength: summaryLengthSchema,
  digest: digestSchema,
  timezone: timezoneSchema,
  locale: localeSchema,
  followedTeamIds: teamIdList.meta({ description: 'The complete set of teams to follow' }),
  version: versionSchema,
});

export const patchPreferencesInput = z.object({
  summaryLength: summaryLengthSchema.optional(),
  digest: digestSchema.optional(),
  timezone: timezoneSchema.optional(),
  locale: localeSchema.optional(),
  followedTeamIds: teamIdList.optional().meta({ description: 'The complete set of teams to follow' }),
  version: versionSchema,
});

export const preferencesOutput = preferencesSchema;
