import type { PrismaClient } from '@pressbox/db';
import {
  createJobQueue,
  createSummarizer,
  createMemoryEventBus,
  createRedisEventBus,
  isRedisUnavailable,
  regenerateAfterNews,
  regenerateStaleSummaries,
  type EventBus,
  type JobQueue,
  type SummarizerService,
} from '@pressbox/jobs';
import type { Config } from '../config.ts';
import type { OutageReporter } from '../infra/outages/index.ts';
import type { Logger } from '../logger.ts';

/**
 * The job queue of the configuration: BullMQ on Redis, or the in-process runner; jobs log through
 * `log`. Errors that only say Redis is away go to the outage log, which warns once per outage,
 * rather than one line per connection and reconnection attempt.
 */
export function createQueueFor(config: Config, log: Logger, redisOutage: OutageReporter): JobQueue {
  const logger = log.child({ component: 'jobs' });
  const unlessOutage = (write: (details: Record<string, unknown>, message: string) => void) =>
    function jobLogLine(details: Record<string, unknown>, message: string) {
      if (isRedisUnavailable(details.err)) redisOutage.down(details.err);
      else write(details, message);
    };
  const jobLog = {
    info: (details: Record<string, unknown>, message: string) => {
      logger.info(details, message);
    },
    warn: unlessOutage((details, message) => {
      logger.warn(details, message);
    }),
    error: unlessOutage((details, message) => {
      logger.error(details, message);
    }),
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

/**
 * The event bus of the configuration: Redis pub/sub, or in-process; problems are logged as
 * warnings. Its relay schedules the summary regeneration of committed news on `queue`.
 */
export function createEventsFor(config: Config, prisma: PrismaClient, log: Logger, redisOutage: OutageReporter, queue: JobQueue): EventBus {
  const report = (problem: { kind: string; channel?: string; error?: unknown }) => {
    if (isRedisUnavailable(problem.error)) {
      redisOutage.down(problem.error);
      return;
    }
    log.warn(
      {
        kind: problem.kind,
        channel: problem.channel,
        err: problem.error instanceof Error ? { message: problem.error.message } : undefined,
      },
      'event bus problem',
    );
  };
  const onRelayed = regenerateAfterNews({ prisma, queue, summaryDebounceMs: config.summaryDebounceMs });
  return config.redisUrl
    ? createRedisEventBus({ prisma, url: config.redisUrl, prefix: config.redisPrefix, name: 'events', report, onRelayed })
    : createMemoryEventBus({ prisma, report, onRelayed });
}

/**
 * The summarizer of the configuration. With a remote provider, its breaker is probed on a timer
 * while open, and when it closes again the summaries that went stale during the outage are
 * regenerated, so they heal without anyone asking for them.
 */
export function createSummariesFor(config: Config, prisma: PrismaClient, log: Logger, queue: JobQueue): SummarizerService {
  if (config.llm.provider !== 'openai') return createSummarizer(config.llm);
  let outages = 0;
  const onStateChange = (state: 'closed' | 'open' | 'half-open') => {
    if (state === 'open') outages++;
    if (state !== 'closed') return;
    const outage = `${String(process.pid)}-${String(outages)}`;
    regenerateStaleSummaries({ prisma, queue }, outage).then(
      (enqueued) => {
        log.info({ enqueued }, 'summary provider answers again: stale summaries regenerate');
      },
      (error: unknown) => {
        log.warn({ err: error instanceof Error ? { message: error.message } : undefined }, 'stale summaries could not be scheduled');
      },
    );
  };
  return createSummarizer({ ...config.llm, resilience: { ...config.llm.resilience, onStateChange } });
}
