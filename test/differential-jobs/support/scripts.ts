import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '@pressbox/db';
import { defineJob, NonRetryableError, type JobContext, type JobDefinition, type JobQueue } from '@pressbox/jobs';
import fc from 'fast-check';
import { z } from 'zod';
import { deferred, type Deferred } from '../../queue/support.ts';

/** What one attempt of a job does. */
export const steps = ['ok', 'throw', 'exposed', 'refuse', 'timeout', 'bad-result'] as const;
export type Step = (typeof steps)[number];

export interface DefinitionSpec {
  attempts: number;
  backoffMs: number;
  concurrency: number;
}

export interface JobSpec {
  definition: number;
  /** A caller-chosen id (deduplicates), or a random one. */
  key: string | null;
  /** Attempt n does `plan[n-1]` (the last step again once the plan runs out). */
  plan: Step[];
  delayMs: number;
  requestedBy: string | null;
}

/** Jobs enqueued before the workers start, then (once all finished) more, some with the same ids. */
export interface JobScript {
  definitions: DefinitionSpec[];
  jobs: JobSpec[];
  again: JobSpec[];
}

/** How long an attempt may run before it times out; a `timeout` step outlasts it. */
export const attemptTimeoutMs = 400;

const jobSpec = (definitions: number): fc.Arbitrary<JobSpec> =>
  fc.record({
    definition: fc.integer({ min: 0, max: definitions - 1 }),
    key: fc.option(fc.constantFrom('a', 'b', 'c'), { freq: 2 }),
    plan: fc.array(fc.constantFrom(...steps), { minLength: 1, maxLength: 3 }),
    delayMs: fc.constantFrom(0, 0, 0, 60),
    requestedBy: fc.option(fc.constantFrom('user_1', 'user_2'), { nil: null }),
  });

export const scriptArbitrary: fc.Arbitrary<JobScript> = fc
  .array(
    fc.record({
      attempts: fc.integer({ min: 1, max: 3 }),
      backoffMs: fc.constantFrom(0, 10, 40),
      concurrency: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 2 },
  )
  .chain((definitions) =>
    fc.record({
      definitions: fc.constant(definitions),
      jobs: fc.array(jobSpec(definitions.length), { minLength: 1, maxLength: 7 }),
      again: fc.array(jobSpec(definitions.length), { maxLength: 3 }),
    }),
  );

export const payloadSchema = z.object({ n: z.number().int(), plan: z.array(z.enum(steps)).min(1) });
const resultSchema = z.object({ doubled: z.number().int() });

export type ScriptDefinition = JobDefinition<typeof payloadSchema, typeof resultSchema>;

export function scriptDefinitions(script: JobScript, tag: string): ScriptDefinition[] {
  return script.definitions.map((spec, index) =>
    defineJob({
      name: `${tag}-d${String(index)}`,
      payload: payloadSchema,
      result: resultSchema,
      attempts: spec.attempts,
      backoff: { type: 'exponential', delayMs: spec.backoffMs },
      concurrency: spec.concurrency,
      timeoutMs: attemptTimeoutMs,
    }),
  );
}

/** What the processors saw: every attempt of every job, in the order they started, and the most running at once. */
export interface Runs {
  starts: { id: string; attempt: number; n: number }[];
  running: Map<string, number>;
  mostRunning: Map<string, number>;
}

/** The processor every definition of a script runs: does what the payload's plan says for this attempt. */
/**
 * Holds attempts back while closed, so a batch enqueued into a running queue is enqueued whole
 * before any of it runs, as a batch enqueued before `start()` is. Without it, whether a key sent
 * twice in one batch is deduplicated would depend on whether its first job had finished yet.
 */
export class Gate {
  private held: Deferred<undefined> | undefined;

  close(): void {
    this.held = deferred();
  }

  open(): void {
    this.held?.resolve(undefined);
    this.held = undefined;
  }

  passed(): Promise<void> {
    return this.held?.promise ?? Promise.resolve();
  }
}

export function scriptProcessor(definition: ScriptDefinition, runs: Runs, gate?: Gate) {
  return async (payload: z.output<typeof payloadSchema>, ctx: JobContext): Promise<z.input<typeof resultSchema>> => {
    await gate?.passed();
    runs.starts.push({ id: ctx.jobId, attempt: ctx.attempt, n: payload.n });
    const running = (runs.running.get(definition.name) ?? 0) + 1;
    runs.running.set(definition.name, running);
    runs.mostRunning.set(definition.name, Math.max(running, runs.mostRunning.get(definition.name) ?? 0));
    // An attempt ends when it returns or, timed out, when its signal fires (the layer has moved on then).
    let ended = false;
    const end = () => {
      if (!ended) runs.running.set(definition.name, (runs.running.get(definition.name) ?? 1) - 1);
      ended = true;
    };
    ctx.signal.addEventListener('abort', end, { once: true });
    try {
      await ctx.updateProgress({ attempt: ctx.attempt });
      await delay(5);
      return await perform(payload.plan[Math.min(ctx.attempt, payload.plan.length) - 1] ?? 'ok', payload.n, ctx.signal);
    } finally {
      end();
    }
  };
}

async function perform(step: Step, n: number, signal: AbortSignal): Promise<z.input<typeof resultSchema>> {
  switch (step) {
    case 'ok':
      return { doubled: n * 2 };
    case 'throw':
      throw new Error(`driver said no to ${String(n)}\n    at somewhere (file.ts:1:1)`);
    case 'exposed':
      throw new AppError('SERVICE_UNAVAILABLE', `Publisher ${String(n)} is down`);
    case 'refuse':
      throw new NonRetryableError(`Job ${String(n)} can never succeed`);
    case 'timeout':
      await delay(attemptTimeoutMs * 10, undefined, { signal }).catch(() => undefined);
      return { doubled: n * 2 };
    case 'bad-result':
      return { doubled: 'many' } as unknown as { doubled: number };
  }
}

/** Enqueues jobs in order; returns each answer with random ids named by position. */
export async function enqueueAll(
  queue: JobQueue,
  definitions: readonly ScriptDefinition[],
  jobs: readonly JobSpec[],
  offset: number,
): Promise<{ answers: { id: string; deduplicated: boolean }[]; ids: string[] }> {
  const answers: { id: string; deduplicated: boolean }[] = [];
  const ids: string[] = [];
  for (const [index, job] of jobs.entries()) {
    const definition = definitions[job.definition];
    if (!definition) throw new Error('no such definition');
    const answer = await queue.enqueue(
      definition,
      { n: offset + index, plan: job.plan },
      {
        ...(job.key === null ? {} : { jobId: job.key }),
        ...(job.delayMs > 0 ? { delayMs: job.delayMs } : {}),
        ...(job.requestedBy === null ? {} : { requestedBy: job.requestedBy }),
      },
    );
    ids.push(answer.id);
    answers.push({
      id: job.key === null ? `${definition.name}.random-${String(offset + index)}` : answer.id,
      deduplicated: answer.deduplicated,
    });
  }
  return { answers, ids };
}
