import { describe, expect, it } from 'vitest';
import { Wakeup } from './wakeup.ts';

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('Wakeup', () => {
  it('resolves at once when ready, and otherwise on the next wake', async () => {
    const wakeup = new Wakeup();
    expect(await settled(wakeup.until(true))).toBe(true);
    const waiting = wakeup.until(false);
    expect(await settled(waiting)).toBe(false);
    wakeup.wake();
    expect(await settled(waiting)).toBe(true);
  });

  it('drops a wake nobody waits for', async () => {
    const wakeup = new Wakeup();
    wakeup.wake();
    expect(await settled(wakeup.until(false))).toBe(false);
  });
});
