import { z } from 'zod';
import { sourceIdSchema } from '../../schemas/source.ts';
import { jobAcceptedSchema } from '../../schemas/summary.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'POST',
    path: '/sources/{sourceId}/refresh',
    tags: ['sources'],
    summary: 'Fetch a source now',
    description: 'Also fetches a paused source once. Follow the job with GET /jobs/{jobId}.',
  },
  successStatus: 202,
} satisfies Meta;

export const input = z.object({ sourceId: sourceIdSchema });
export const output = jobAcceptedSchema;
