import { setTimeout as delay } from 'node:timers/promises';
import type { JobQueue } from '@pressbox/jobs';
import fc from 'fast-check';
import { eventually } from '../../support/waiting.ts';
import { scriptDefinitions, scriptProcessor, type Runs, type Step } from './scripts.ts';

export interface ScheduleSpec {
  everyMs: number;
  /** What every run does. */
  step: Extract<Step, 'ok' | 'refuse'>;
  /** Upserted again with the same interval (payload replaced) or with a new one (starts over). */
  second: 'same-interval' | 'new-interval';
  /** The update comes in the same millisecond as the first run (which has started): the clock is held still. */
  instant: 'same' | 'later';
}

export const scheduleArbitrary: fc.Arbitrary<ScheduleSpec> = fc.record({
  everyMs: fc.constantFrom(150, 200, 300),
  step: fc.constantFrom<'ok' | 'refuse'>('ok', 'refuse'),
  second: fc.constantFrom<'same-interval' | 'new-interval'>('same-interval', 'new-interval'),
  instant: fc.constantFrom<'same' | 'later'>('same', 'later'),
});

const runIdPattern = /^repeat:(.+):(\d+)$/;

/** Runs a scheduler until it fired three times after its update, removes it, and says what was seen. */
export async function playSchedule(queue: JobQueue, spec: ScheduleSpec, tag: string): Promise<unknown> {
  const [definition] = scriptDefinitions({ definitions: [{ attempts: 1, backoffMs: 0, concurrency: 1 }], jobs: [], again: [] }, tag);
  if (!definition) throw new Error('no definition');
  const observed: Runs = { starts: [], running: new Map(), mostRunning: new Map() };
  queue.registerWorker(definition, scriptProcessor(definition, observed));
  await queue.start();
  const everyMs = spec.second === 'new-interval' ? spec.everyMs + 50 : spec.everyMs;
  const wallClock = Date.now.bind(Date);
  const held = wallClock();
  if (spec.instant === 'same') Date.now = () => held;
  try {
    await queue.upsertScheduler('tick', { everyMs: spec.everyMs }, definition, { n: 1, plan: [spec.step] });
    for (let tries = 0; spec.instant === 'same' && observed.starts.length === 0 && tries < 500; tries++) await delay(10);
    await queue.upsertScheduler('tick', { everyMs }, definition, { n: 2, plan: [spec.step] });
  } finally {
    Date.now = wallClock;
  }
  const seen = await eventually(
    () => observed.starts.filter((start) => start.n === 2).length,
    (count) => count >= 3,
    { timeoutMs: 15_000 },
  );
  const removed = [await queue.removeScheduler('tick', definition)];
  const atRemoval = observed.starts.length;
  await delay(everyMs * 2 + 100);
  removed.push(await queue.removeScheduler('tick', definition));
  const runs = observed.starts.filter((start) => start.n === 2);
  const ids = runs.map((run) => runIdPattern.exec(run.id));
  const gaps = ids.slice(1).map((match, index) => Number(match?.[2]) - Number(ids[index]?.[2]));
  const last = runs.at(-1);
  const info = last ? await queue.getJob(last.id) : undefined;
  return {
    enoughRuns: seen >= 3,
    distinctIds: new Set(runs.map((run) => run.id)).size === runs.length,
    schedulerKeys: [...new Set(ids.map((match) => match?.[1] ?? 'not a scheduler run id'))],
    gapsAreTheInterval: gaps.every((gap) => gap === everyMs),
    firstAttemptsOnly: runs.every((run) => run.attempt === 1),
    lastRun: info && { name: info.name, state: info.state, attemptsMade: info.attemptsMade, error: info.error, result: info.result },
    removed,
    atMostOneRunAfterRemoval: observed.starts.length <= atRemoval + 1,
  };
}
