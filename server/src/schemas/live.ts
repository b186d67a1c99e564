import { eventIdSchema } from '@pressbox/jobs';
import { z } from 'zod';
import { slugId } from './common.ts';

/** Input of every team subscription; `lastEventId` is set by the tRPC client when it reconnects. */
export const teamStreamInput = z.object({ teamId: slugId, lastEventId: eventIdSchema.nullish() });
