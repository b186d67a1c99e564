import { describe, expect, it } from 'vitest';
import { HostLimiter } from './host-limiter.ts';

describe('HostLimiter', () => {
  it('grants up to the limit at once and queues the rest', async () => {
    const limiter = new HostLimiter(2);
    const first = await limiter.acquire('example.com');
    await limiter.acquire('EXAMPLE.com');
    let thirdGranted = false;
    const third = limiter.acquire('example.com').then((release) => {
      thirdGranted = true;
      return release;
    });
    await Promise.resolve();
    expect(thirdGranted).toBe(false);
    expect(limiter.active('example.com')).toBe(2);
    expect(limiter.waiting('example.com')).toBe(1);
    first();
    await third;
    expect(thirdGranted).toBe(true);
    expect(limiter.active('example.com')).toBe(2);
  });

  it('keeps hosts independent', async () => {
    const limiter = new HostLimiter(1);
    await limiter.acquire('a.example');
    const other = await limiter.acquire('b.example');
    expect(limiter.active('b.example')).toBe(1);
    other();
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = new HostLimiter(1);
    const release = await limiter.acquire('a.example');
    release();
    release();
    expect(limiter.active('a.example')).toBe(0);
    await limiter.acquire('a.example');
    expect(limiter.active('a.example')).toBe(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new HostLimiter(1);
    await limiter.acquire('a.example');
    const controller = new AbortController();
    const waiting = limiter.acquire('a.example', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    expect(limiter.waiting('a.example')).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new HostLimiter(0)).toThrow(RangeError);
  });
});
