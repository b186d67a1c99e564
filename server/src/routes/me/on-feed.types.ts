import { eventIdSchema } from '@pressbox/jobs';
import { z } from 'zod';

/** `lastEventId` is set by the tRPC client when it reconnects: the events after it come first. */
export const input = z.object({ lastEventId: eventIdSchema.nullish() }).default({});
