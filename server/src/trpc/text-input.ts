import { ZodRealError, type ZodError } from 'zod';

/** What a caller is told when a string holds U+0000, which no text column stores. */
export const nulMessage = 'must not contain the NUL character (U+0000)';

const MAX_VISITED = 100_000;

/**
 * The validation error for the first string (value or key) in an input that holds U+0000, or
 * undefined. Checked before any schema for every procedure, so no input reaches the database
 * with a character Postgres refuses. Walks without recursion, so no nesting depth can overflow
 * the stack; inputs larger than MAX_VISITED values are bounded by their schemas anyway.
 */
export function nulInputError(input: unknown): ZodError | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  for (let visited = 0; pending.length > 0 && visited < MAX_VISITED; visited++) {
    const { value, path } = pending.pop() as { value: unknown; path: (string | number)[] };
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return nulError(path, value);
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => pending.push({ value: item, path: [...path, index] }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return nulError(path, key);
        pending.push({ value: item, path: [...path, key] });
      }
    }
  }
  return undefined;
}

function nulError(path: (string | number)[], input: string): ZodError {
  return new ZodRealError([{ code: 'custom', path, message: nulMessage, input }]);
}
