import { AppError } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import { internalJobError, maxJobErrorLength, NonRetryableError, safeErrorMessage, storedErrorMessage } from './errors.ts';

describe('safeErrorMessage', () => {
  it('keeps the message of an error written for callers as it is', () => {
    expect(safeErrorMessage(new NonRetryableError('Feed answered 503'))).toBe('Feed answered 503');
    expect(safeErrorMessage(new AppError('NOT_FOUND', 'No team with id nba-xyz'))).toBe('No team with id nba-xyz');
  });

  it('shows only the public message of an AppError, never its detail or cause', () => {
    const error = new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable', {
      detail: 'connect ECONNREFUSED 10.0.0.5:5432',
      cause: new Error('password authentication failed'),
    });

    expect(safeErrorMessage(error)).toBe('The database is unavailable');
  });

  it('hides the text of errors nobody wrote for callers: driver and runtime messages stay in the log', () => {
    const prisma = new Error('Invalid `prisma.article.create()` invocation in /app/jobs/src/feeds/store.ts:120:5 Unique constraint failed');

    expect(safeErrorMessage(prisma)).toBe(internalJobError);
    expect(safeErrorMessage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(internalJobError);
  });

  it('puts a multi-line message on one line and never includes the stack', () => {
    const error = new NonRetryableError('first\n  second\tthird');

    expect(safeErrorMessage(error)).toBe('first second third');
    expect(error.stack).toContain('errors.test');
    expect(safeErrorMessage(error)).not.toContain('errors.test');
  });

  it('truncates a long message to the stored maximum', () => {
    const message = safeErrorMessage(new NonRetryableError('y'.repeat(10_000)));

    expect(message).toHaveLength(maxJobErrorLength);
    expect(message.endsWith('…')).toBe(true);
  });

  it('gives the generic message for values that are not errors and for empty messages', () => {
    expect(safeErrorMessage({ secret: 'token' })).toBe(internalJobError);
    expect(safeErrorMessage(new NonRetryableError('   '))).toBe(internalJobError);
    expect(safeErrorMessage('plain text')).toBe(internalJobError);
  });
});

describe('storedErrorMessage', () => {
  it('reads a stored reason back on one line, bounded, and names an empty one', () => {
    expect(storedErrorMessage('a\n b')).toBe('a b');
    expect(storedErrorMessage('z'.repeat(900))).toHaveLength(maxJobErrorLength);
    expect(storedErrorMessage(undefined)).toBe(internalJobError);
  });
});
