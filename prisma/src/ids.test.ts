import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('is a version 7, RFC 9562 variant UUID with the millisecond time in its first 48 bits', () => {
    const at = Date.UTC(2026, 11, 7, 15, 30, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(uuidv7(0).startsWith('00000000-0000-7')).toBe(true);
  });

  it('sorts by time and never repeats', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => uuidv7(1_700_000_000_000 + Math.floor(index / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let index = 10; index < ids.length; index += 10) expect((ids[index - 1] ?? '') < (ids[index] ?? '')).toBe(true);
    expect(ids.every((id) => V7.test(id))).toBe(true);
  });
});
