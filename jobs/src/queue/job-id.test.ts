import { describe, expect, it } from 'vitest';
import { jobIdFor, jobNameOf, scheduledJobId, schedulerKeyFor } from './job-id.ts';

describe('job ids', () => {
  it('lead with the definition name, so the queue can be found from the id alone', () => {
    expect(jobIdFor('summary-refresh', 'nba-bos.MEDIUM.3f2a')).toBe('summary-refresh.nba-bos.MEDIUM.3f2a');
    expect(jobNameOf('summary-refresh.nba-bos.MEDIUM.3f2a')).toBe('summary-refresh');
  });

  it('get a random key when the caller chooses none', () => {
    const first = jobIdFor('feed-fetch');
    const second = jobIdFor('feed-fetch');

    expect(first).toMatch(/^feed-fetch\.[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it('name the definition of a scheduler run', () => {
    const id = scheduledJobId(schedulerKeyFor('feed-poll', 'due-sources'), 1_700_000_000_000);

    expect(id).toBe('repeat:feed-poll.due-sources:1700000000000');
    expect(jobNameOf(id)).toBe('feed-poll');
  });

  it.each([':', 'a:b', '', ' x', 'x/y', '.hidden', 'é', 'x'.repeat(201)])('rejects the chosen key %j', (key) => {
    expect(() => jobIdFor('feed-fetch', key)).toThrow('Job id');
  });

  it('rejects a scheduler id that BullMQ could not store', () => {
    expect(() => schedulerKeyFor('feed-poll', 'every:minute')).toThrow('Scheduler id');
  });

  it.each(['', 'nodot', '.leading', 'trailing.', 'Upper.case', 'repeat:', 'repeat:x', '../etc.passwd', `a.${'x'.repeat(500)}`])(
    'finds no definition in the foreign id %j',
    (id) => {
      expect(jobNameOf(id)).toBeUndefined();
    },
  );
});
