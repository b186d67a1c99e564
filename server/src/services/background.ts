import type { PrismaClient } from '@pressbox/db';
import { createJobQueue, createMemoryEventBus, createRedisEventBus, type EventBus, type JobQueue } from '@pressbox/jobs';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

/** The job queue of the configuration: BullMQ on Redis, or the in-process runner; jobs log through `log`. */
export function createQueueFor(config: Config, log: Logger): JobQueue {
  const logger = log.child({ component: 'jobs' });
  const jobLog = {
    info: (details: Record<string, unknown>, message: string) => {
      logger.info(details, message);
    },
    warn: (details: Record<string, unknown>, message: string) => {
      logger.warn(details, message);
    },
    error: (details: Record<string, unknown>, message: string) => {
      logger.error(details, message);
    },
  };
  return createJobQueue(
    config.redisUrl
      ? {
          kind: 'bullmq',
          redisUrl: config.redisUrl,
          prefix: config.redisPrefix,
          lockDurationMs: config.jobLocks.lockMs,
          stalledIntervalMs: config.jobLocks.stalledCheckMs,
          logger: jobLog,
        }
      : { kind: 'memory', logger: jobLog },
  );
}

/** The event bus of the configuration: Redis pub/sub, or in-process; problems are logged as warnings. */
export function createEventsFor(config: Config, prisma: PrismaClient, log: Logger): EventBus {
  const report = (problem: { kind: string; channel?: string; error?: unknown }) => {
    log.warn(
      {
        kind: problem.kind,
        channel: problem.channel,
        err: problem.error instanceof Error ? { message: problem.error.message } : undefined,
      },
      'event bus problem',
    );
  };
  return config.redisUrl
    ? createRedisEventBus({ prisma, url: config.redisUrl, prefix: config.redisPrefix, name: 'events', report })
    : createMemoryEventBus({ prisma, report });
}
