import type { Page } from '@pressbox/db';
import type { CaseContext } from './world.ts';

/**
 * How one exported repository function is exercised: `run` calls it (over the generated world,
 * every enum value and array shape it takes) and returns what it answered, to be compared.
 * Phases order the calls: 1–2 build the world, 3 reads it, 4–5 change and remove.
 */
export interface RepositoryCase {
  phase: 1 | 2 | 3 | 4 | 5;
  run(ctx: CaseContext): Promise<unknown>;
}

/** Every page of a keyset-paginated list, following `nextCursor` (bounded, so a cursor loop fails instead of hanging). */
export async function paginate<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 200);
  return pages;
}
