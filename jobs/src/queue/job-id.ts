import { randomUUID } from 'node:crypto';
import { jobNamePattern } from './define.ts';

/** Caller-chosen parts of ids: URL-safe, and free of ':' which BullMQ rejects in custom ids. */
const idPartPattern = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;
const scheduledPrefix = 'repeat:';

/**
 * The id of a job of definition `name`: `<name>.<key>`, with a random key unless the caller
 * chose one (to deduplicate). Because the name leads, `getJob` finds the queue from the id alone.
 *
 * @example
 * jobIdFor('summary-refresh', 'nba-bos.MEDIUM.3f2a'); // 'summary-refresh.nba-bos.MEDIUM.3f2a'
 */
export function jobIdFor(name: string, key?: string): string {
  return `${name}.${key === undefined ? randomUUID() : checkedPart('Job id', key)}`;
}

/**
 * The per-queue id of a scheduler. BullMQ names the scheduler's runs
 * `repeat:<name>.<schedulerId>:<millis>`, which still lead with the definition name.
 */
export function schedulerKeyFor(name: string, schedulerId: string): string {
  return `${name}.${checkedPart('Scheduler id', schedulerId)}`;
}

/** The id of a scheduler's run due at `millis` (the form BullMQ gives it). */
export function scheduledJobId(schedulerKey: string, millis: number): string {
  return `${scheduledPrefix}${schedulerKey}:${millis}`;
}

/** The definition name an id belongs to, or undefined when the id is not one of ours. */
export function jobNameOf(id: string): string | undefined {
  if (id.length > 400) return undefined;
  const body = id.startsWith(scheduledPrefix) ? id.slice(scheduledPrefix.length) : id;
  const dot = body.indexOf('.');
  if (dot <= 0 || dot === body.length - 1) return undefined;
  const name = body.slice(0, dot);
  return jobNamePattern.test(name) ? name : undefined;
}

function checkedPart(label: string, value: string): string {
  if (!idPartPattern.test(value)) {
    throw new Error(`${label} "${value.slice(0, 50)}" may only contain letters, digits, '.', '_' and '-' (1 to 200 characters)`);
  }
  return value;
}
