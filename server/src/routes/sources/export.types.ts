import { z } from 'zod';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/sources/export',
    tags: ['sources'],
    summary: 'Export every source as OPML 2.0',
    description: 'Each outline’s `category` names its teams and league, so importing the document elsewhere links them the same way.',
  },
} satisfies Meta;

export const input = z.object({});
export const output = z
  .object({ opml: z.string().meta({ description: 'An OPML 2.0 document' }), count: z.number().int() })
  .meta({ id: 'OpmlExport' });
