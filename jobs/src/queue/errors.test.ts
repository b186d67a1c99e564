import { describe, expect, it } from 'vitest';
import { maxJobErrorLength, safeErrorMessage } from './errors.ts';

describe('safeErrorMessage', () => {
  it('keeps a short message as it is', () => {
    expect(safeErrorMessage(new Error('Feed answered 503'))).toBe('Feed answered 503');
  });

  it('puts a multi-line message on one line and never includes the stack', () => {
    const error = new Error('first\n  second\tthird');

    expect(safeErrorMessage(error)).toBe('first second third');
    expect(error.stack).toContain('errors.test');
    expect(safeErrorMessage(error)).not.toContain('errors.test');
  });

  it('truncates a long message to the stored maximum', () => {
    const message = safeErrorMessage(new Error('y'.repeat(10_000)));

    expect(message).toHaveLength(maxJobErrorLength);
    expect(message.endsWith('…')).toBe(true);
  });

  it('gives a generic message for values that are not errors or for empty messages', () => {
    expect(safeErrorMessage({ secret: 'token' })).toBe('Job failed');
    expect(safeErrorMessage(new Error('   '))).toBe('Job failed');
    expect(safeErrorMessage('plain text')).toBe('plain text');
  });
});
