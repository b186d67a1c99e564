import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { PressboxError } from './errors.ts';
import type { paths } from './generated/schema.ts';
import { defaultRetry, resilientFetch, type RetryOptions } from './transport.ts';

export type { components, paths } from './generated/schema.ts';
export { PressboxError, type ErrorBody, type PressboxErrorCode, type TransportErrorCode } from './errors.ts';
export type { RetryOptions } from './transport.ts';

export interface PressboxClientOptions {
  /** Where Pressbox runs, e.g. `https://api.example.com` (the `/api/v1` prefix is added). */
  baseUrl: string;
  /** A session token, or a function returning a fresh one (Clerk tokens live 60 s). */
  token?: string | (() => string | Promise<string>);
  fetch?: typeof globalThis.fetch;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** Milliseconds one attempt may take before it fails with code `TIMEOUT` (default 30000; 0: none). */
  timeoutMs?: number;
  /**
   * Retries of idempotent calls (GET, PUT, DELETE) on 429 and 503, honouring `Retry-After`, and on
   * network failures; `false` turns them off. POST and PATCH are never retried.
   */
  retry?: RetryOptions | false;
}

export type PressboxClient = Client<paths>;

/**
 * A typed REST client: every path, parameter and body of `openapi.json` is checked at compile
 * time. Calls resolve to `{ data, error, response }` like openapi-fetch; use {@link unwrap} to
 * get the data or a thrown {@link PressboxError}. A call that gets no answer (network failure,
 * timeout, abort through the `signal` option of each call) rejects with a PressboxError.
 *
 * @example
 * const pressbox = createPressboxClient({ baseUrl: 'http://localhost:3000', token });
 * const teams = await unwrap(pressbox.GET('/teams', { params: { query: { league: 'NBA' } } }));
 */
export function createPressboxClient(options: PressboxClientOptions): PressboxClient {
  const client = createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1`,
    fetch: resilientFetch({
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 30_000,
      retry: options.retry === false ? false : { ...defaultRetry, ...options.retry },
    }),
    headers: options.headers,
  });
  const credential = options.token;
  if (credential !== undefined) {
    const auth: Middleware = {
      async onRequest({ request }) {
        const value = typeof credential === 'function' ? await credential() : credential;
        request.headers.set('authorization', `Bearer ${value}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** Returns the data of a call or throws a {@link PressboxError} describing the failure. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  throw new PressboxError(response.status, error ?? {}, response.headers.get('retry-after'));
}

/**
 * Walks a cursor-paginated list to the end.
 *
 * @example
 * for await (const team of paginate((cursor) => pressbox.GET('/teams', { params: { query: { cursor } } }))) console.log(team.name);
 */
export async function* paginate<Item>(
  fetchPage: (
    cursor: string | undefined,
  ) => Promise<{ data?: { items: Item[]; nextCursor: string | null }; error?: unknown; response: Response }>,
): AsyncGenerator<Item> {
  let cursor: string | undefined;
  do {
    const page = await unwrap(fetchPage(cursor));
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
