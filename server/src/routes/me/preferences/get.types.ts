import { z } from 'zod';
import { preferencesSchema } from '../../../schemas/preferences.ts';
import type { Meta } from '../../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/me/preferences',
    tags: ['me'],
    summary: 'Your preferences (defaults for a new user)',
    description: 'Followed teams, summary length, digest, time zone and locale, with the `version` to send back when you change them.',
  },
} satisfies Meta;

export const input = z.object({});
export const output = preferencesSchema;
