import { createJobQueue, type JobInfo, type JobQueue } from '@pressbox/jobs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../support/environment.ts';
import { connectTestRedis, deleteKeys, redisAvailable, uniquePrefix } from '../support/redis.ts';
import { scheduleArbitrary, playSchedule } from './support/schedules.ts';
import { enqueueAll, Gate, scriptArbitrary, scriptDefinitions, scriptProcessor, type JobScript, type Runs } from './support/scripts.ts';

const seed = Number(process.env.PRESSBOX_DIFF_SEED ?? Date.now() % 2_147_483_647);
const runs = Number(process.env.PRESSBOX_DIFF_RUNS ?? 8);
const prefix = uniquePrefix('pbdj');
let played = 0;

const layers = {
  memory: (): JobQueue => createJobQueue({ kind: 'memory' }),
  bullmq: (): JobQueue => createJobQueue({ kind: 'bullmq', redisUrl, prefix }),
};

afterAll(async () => {
  if (!redisAvailable()) return;
  const redis = connectTestRedis('differential-jobs-cleanup');
  await deleteKeys(redis, prefix);
  await redis.quit();
});

/** What `GET /jobs/{id}` shows of a job, with its random id named and its instants reduced to what both layers promise. */
function visible(info: JobInfo | undefined, names: Map<string, string>): unknown {
  if (!info) return 'absent';
  const { createdAt, finishedAt, id, ...rest } = info;
  return {
    ...rest,
    id: names.get(id) ?? id,
    created: createdAt instanceof Date && !Number.isNaN(createdAt.getTime()),
    finished: finishedAt === undefined ? 'no' : finishedAt.getTime() >= createdAt.getTime() ? 'after creation' : 'before creation',
  };
}

async function settle(queue: JobQueue, ids: readonly string[]): Promise<void> {
  for (const id of new Set(ids)) {
    const info = await queue.waitForJob(id, { timeoutMs: 20_000 });
    if (info?.state !== 'completed' && info?.state !== 'failed') throw new Error(`job ${id} did not finish: ${info?.state ?? 'absent'}`);
  }
}

/** Runs a script on one job layer and returns everything a caller or an operator could observe of it. */
async function play(queue: JobQueue, script: JobScript, tag: string): Promise<Record<string, unknown>> {
  const definitions = scriptDefinitions(script, tag);
  const observed: Runs = { starts: [], running: new Map(), mostRunning: new Map() };
  const gate = new Gate();
  for (const definition of definitions) queue.registerWorker(definition, scriptProcessor(definition, observed, gate));
  const first = await enqueueAll(queue, definitions, script.jobs, 0);
  const names = new Map(first.ids.map((id, index) => [id, first.answers[index]?.id ?? id]));
  const before = await Promise.all([...new Set(first.ids)].map(async (id) => visible(await queue.getJob(id), names)));
  await queue.start();
  await settle(queue, first.ids);
  const afterFirst = await Promise.all([...new Set(first.ids)].map(async (id) => visible(await queue.getJob(id), names)));
  gate.close();
  const again = await enqueueAll(queue, definitions, script.again, 100).finally(() => {
    gate.open();
  });
  again.ids.forEach((id, index) => names.set(id, again.answers[index]?.id ?? id));
  await settle(queue, again.ids);
  const everyId = [...new Set([...first.ids, ...again.ids])];
  const concurrencyKept = definitions.every((definition) => (observed.mostRunning.get(definition.name) ?? 0) <= definition.concurrency);
  return {
    enqueued: first.answers,
    before,
    afterFirst,
    enqueuedAgain: again.answers,
    final: await Promise.all(everyId.map(async (id) => visible(await queue.getJob(id), names))),
    attempts: Object.fromEntries(
      everyId.map((id) => [
        names.get(id),
        observed.starts.filter((start) => start.id === id).map((s) => `${String(s.attempt)}:${String(s.n)}`),
      ]),
    ),
    // With one job at a time, jobs due at once start in the order they were enqueued.
    firstStarts: definitions
      .filter((definition) => definition.concurrency === 1)
      .map((definition) =>
        observed.starts
          .filter(
            (start) =>
              start.attempt === 1 && start.n < 100 && start.id.startsWith(`${definition.name}.`) && script.jobs[start.n]?.delayMs === 0,
          )
          .map((start) => names.get(start.id)),
      ),
    concurrencyKept,
    counts: await queue.counts(),
    unknown: [await queue.getJob(`${tag}-d0.nope`), await queue.getJob('not an id')],
  };
}

describe.skipIf(!redisAvailable())('the in-process and the BullMQ job layers', () => {
  it('run the same generated job scripts with the same observable outcomes', async () => {
    console.info(
      `job layer differential seed ${String(seed)} (PRESSBOX_DIFF_SEED=${String(seed)} PRESSBOX_DIFF_RUNS=${String(runs)} repeat it)`,
    );
    await fc.assert(
      fc.asyncProperty(scriptArbitrary, async (script) => {
        const tag = `s${String((played += 1))}x${String(seed % 10_000)}`;
        const outcomes: Record<string, unknown> = {};
        for (const [layer, open] of Object.entries(layers)) {
          const queue = open();
          try {
            outcomes[layer] = await play(queue, script, tag);
          } finally {
            await queue.close();
          }
        }
        expect(outcomes.memory).toEqual(outcomes.bullmq);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  }, 300_000);

  it('fire, update and remove schedulers alike', async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArbitrary, async (schedule) => {
        const tag = `c${String((played += 1))}x${String(seed % 10_000)}`;
        const outcomes: Record<string, unknown> = {};
        for (const [layer, open] of Object.entries(layers)) {
          const queue = open();
          try {
            outcomes[layer] = await playSchedule(queue, schedule, tag);
          } finally {
            await queue.close();
          }
        }
        expect(outcomes.memory).toEqual(outcomes.bullmq);
      }),
      {
        seed,
        numRuns: Math.max(1, Math.floor(runs / 4)),
        endOnFailure: true,
        // Once failed: the in-process scheduler stopped for good when updated with a new interval in the millisecond of its first run.
        examples: [[{ everyMs: 200, step: 'ok', second: 'new-interval', instant: 'same' }]],
      },
    );
  }, 300_000);
});
