import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/schema.ts';

export type { components, paths } from './generated/schema.ts';
export type ErrorBody = components['schemas']['Error'];

/** An error answered by the API, with its stable code and the request id to quote to support. */
export class PressboxError extends Error {
  override name = 'PressboxError';
  readonly status: number;
  readonly code: ErrorBody['code'] | 'NETWORK_ERROR';
  readonly requestId: string | undefined;
  readonly issues: ErrorBody['issues'];
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: Partial<ErrorBody>, retryAfter?: string | null) {
    super(body.message ?? `Request failed with status ${String(status)}`);
    this.status = status;
    this.code = body.code ?? 'INTERNAL_SERVER_ERROR';
    this.requestId = body.requestId;
    this.issues = body.issues;
    this.retryAfterSeconds = retryAfter ? Number(retryAfter) : undefined;
  }
}

export interface PressboxClientOptions {
  /** Where Pressbox runs, e.g. `https://api.example.com` (the `/api/v1` prefix is added). */
  baseUrl: string;
  /** A session token, or a function returning a fresh one (Clerk tokens live 60 s). */
  token?: string | (() => string | Promise<string>);
  fetch?: typeof globalThis.fetch;
  /** Headers added to every request. */
  headers?: Record<string, string>;
}

export type PressboxClient = Client<paths>;

/**
 * A typed REST client: every path, parameter and body of `openapi.json` is checked at compile
 * time. Calls resolve to `{ data, error, response }` like openapi-fetch; use {@link unwrap} to
 * get the data or a thrown {@link PressboxError}.
 *
 * @example
 * const pressbox = createPressboxClient({ baseUrl: 'http://localhost:3000', token });
 * const teams = await unwrap(pressbox.GET('/teams', { params: { query: { league: 'NBA' } } }));
 */
export function createPressboxClient(options: PressboxClientOptions): PressboxClient {
  const client = createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
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
