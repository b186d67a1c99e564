import { describe, expect, it } from 'vitest';
import { queryOf } from './query-string.ts';

describe('queryOf', () => {
  it('gives the query without ? and fragment, or an empty string', () => {
    expect(queryOf('/a/b?x=1&y=%20#frag')).toBe('x=1&y=%20');
    expect(queryOf('/a/b?x=1')).toBe('x=1');
    expect(queryOf('/a/b')).toBe('');
    expect(queryOf('/a?')).toBe('');
    expect(new URLSearchParams(queryOf('/trpc/a,b?batch=1&input=%7B%7D')).get('batch')).toBe('1');
  });
});
