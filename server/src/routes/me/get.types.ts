import { z } from 'zod';
import { meSchema } from '../../schemas/me.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/me',
    tags: ['me'],
    summary: 'The signed-in user',
    description: 'Created on your first authenticated request and kept in sync with Clerk.',
  },
} satisfies Meta;

export const input = z.object({});
export const output = meSchema;
