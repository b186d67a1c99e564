import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from './define.ts';
import { InvalidJobPayloadError, JobTimeoutError, NonRetryableError } from './errors.ts';
import { createJobExecutor, preparePayload, toProgress, type AttemptContext } from './execute.ts';
import { silentJobLogger, type JobQueueLogger } from './interface.ts';

const job = defineJob({
  name: 'unit',
  payload: z.object({ at: z.iso.datetime(), count: z.number().int() }),
  result: z.object({ total: z.number() }),
  attempts: 2,
  backoff: { type: 'exponential', delayMs: 10 },
  concurrency: 1,
  timeoutMs: 50,
});

function attempt(overrides: Partial<AttemptContext> = {}): AttemptContext {
  return { jobId: 'unit.1', attempt: 1, updateProgress: () => Promise.resolve(), log: () => Promise.resolve(), ...overrides };
}

describe('preparePayload', () => {
  it('returns the JSON copy of a valid payload', () => {
    const payload = { at: '2025-01-01T00:00:00Z', count: 2 };

    const stored = preparePayload(job, payload);

    expect(stored).toEqual(payload);
    expect(stored).not.toBe(payload);
  });

  it('names the job and the offending field of an invalid payload', () => {
    const attemptToStore = () => preparePayload(job, { at: 'yesterday', count: 2 });

    expect(attemptToStore).toThrow(InvalidJobPayloadError);
    expect(attemptToStore).toThrow(/Invalid payload for job "unit".*at:/);
  });

  it('rejects a payload that would not read back the same from JSON', () => {
    const dated = defineJob({ ...job, name: 'dated', payload: z.object({ at: z.date() }) });

    expect(() => preparePayload(dated, { at: new Date() })).toThrow('does not survive JSON serialization');
  });
});

describe('createJobExecutor', () => {
  it('hands the parsed payload and context to the processor and returns its result', async () => {
    const execute = createJobExecutor(job, ({ count }, context) => Promise.resolve({ total: count * context.attempt }), silentJobLogger);

    await expect(execute({ at: '2025-01-01T00:00:00Z', count: 3 }, attempt({ attempt: 2 }))).resolves.toEqual({ total: 6 });
  });

  it('fails without retry when the stored payload no longer matches', async () => {
    const execute = createJobExecutor(job, () => Promise.resolve({ total: 0 }), silentJobLogger);

    await expect(execute({ count: 'three' }, attempt())).rejects.toThrow(NonRetryableError);
  });

  it('fails without retry when the result does not match its schema', async () => {
    const wrong: unknown = { total: 'many' };
    const execute = createJobExecutor(job, () => Promise.resolve(wrong as { total: number }), silentJobLogger);

    await expect(execute({ at: '2025-01-01T00:00:00Z', count: 3 }, attempt())).rejects.toThrow(NonRetryableError);
  });

  it('aborts the signal and rejects with a retryable timeout after timeoutMs', async () => {
    let signal: AbortSignal | undefined;
    const execute = createJobExecutor(
      job,
      (_payload, context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
      silentJobLogger,
    );

    await expect(execute({ at: '2025-01-01T00:00:00Z', count: 3 }, attempt())).rejects.toThrow(JobTimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('forwards a cancellation from the backend to the processor signal', async () => {
    const cancel = new AbortController();
    const execute = createJobExecutor(
      job,
      (_payload, context) => {
        cancel.abort(new Error('cancelled'));
        return Promise.resolve({ total: context.signal.aborted ? 1 : 0 });
      },
      silentJobLogger,
    );

    await expect(execute({ at: '2025-01-01T00:00:00Z', count: 3 }, attempt({ signal: cancel.signal }))).resolves.toEqual({ total: 1 });
  });
});

describe('job logging', () => {
  function recordingLogger() {
    const lines: { level: 'info' | 'warn' | 'error'; message: string; details: Record<string, unknown> }[] = [];
    const logger: JobQueueLogger = {
      info: (details, message) => lines.push({ level: 'info', message, details }),
      warn: (details, message) => lines.push({ level: 'warn', message, details }),
      error: (details, message) => lines.push({ level: 'error', message, details }),
    };
    return { logger, lines };
  }
  const payload = { at: '2025-01-01T00:00:00Z', count: 3 };

  it('logs the start and the outcome of an attempt with job id, name, attempt and duration', async () => {
    const { logger, lines } = recordingLogger();
    const execute = createJobExecutor(job, () => Promise.resolve({ total: 1 }), logger);

    await execute(payload, attempt({ jobId: 'unit.7', attempt: 2 }));

    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'job started'],
      ['info', 'job completed'],
    ]);
    expect(lines[1]?.details).toMatchObject({
      jobId: 'unit.7',
      job: 'unit',
      attempt: 2,
      attempts: 2,
      durationMs: expect.any(Number) as unknown,
    });
  });

  it('logs a failure that will be retried as a warning and the last one as an error, with the cause', async () => {
    const { logger, lines } = recordingLogger();
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const execute = createJobExecutor(
      job,
      () => Promise.reject(new Error('Invalid `prisma.source.update()` invocation', { cause })),
      logger,
    );

    await expect(execute(payload, attempt({ attempt: 1 }))).rejects.toThrow('Invalid');
    await expect(execute(payload, attempt({ attempt: 2 }))).rejects.toThrow('Invalid');

    const failures = lines.filter((line) => line.level !== 'info');
    expect(failures.map((line) => [line.level, line.message])).toEqual([
      ['warn', 'job attempt failed; it will be retried'],
      ['error', 'job failed'],
    ]);
    expect(failures[1]?.details).toMatchObject({
      attempt: 2,
      error: 'The job failed because of an internal error',
      err: {
        type: 'Error',
        message: 'Invalid `prisma.source.update()` invocation',
        cause: { message: 'connect ECONNREFUSED 127.0.0.1:5432' },
      },
    });
  });

  it('logs a NonRetryableError on the first attempt as the final failure', async () => {
    const { logger, lines } = recordingLogger();
    const execute = createJobExecutor(job, () => Promise.reject(new NonRetryableError('team gone')), logger);

    await expect(execute(payload, attempt({ attempt: 1 }))).rejects.toThrow(NonRetryableError);

    expect(lines.at(-1)).toMatchObject({ level: 'error', message: 'job failed', details: { error: 'team gone' } });
  });
});

describe('toProgress', () => {
  it('keeps numbers and plain objects and reads anything else as 0', () => {
    expect(toProgress(40)).toBe(40);
    expect(toProgress({ fetched: 3 })).toEqual({ fetched: 3 });
    expect(toProgress('half')).toBe(0);
    expect(toProgress([1, 2])).toBe(0);
    expect(toProgress(Number.NaN)).toBe(0);
  });
});
