import { randomBytes } from 'node:crypto';
import type { DatabaseKind } from '@pressbox/db';
import { FIXTURE_LAST_MODIFIED, readFixture, type FeedFixture, type FeedServer } from '../fakes/feed-server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { eventually } from '../support/waiting.ts';

/** The admin of every app these suites start (listed in PRESSBOX_ADMIN_USER_IDS). */
export const admin = 'user_ingest_admin';
/** A signed-in user who is not an admin. */
export const member = 'user_ingest_member';

/**
 * The real app with an admin, feeds reachable on 127.0.0.1 (where the fake publishers listen) and
 * rate limits off, so polling a job never trips them.
 */
export function startIngestApp(options: {
  database: DatabaseKind;
  redis?: boolean;
  role?: 'all' | 'api';
  env?: Record<string, string>;
}): Promise<TestApp> {
  return startTestApp({
    database: options.database,
    redis: options.redis ?? false,
    role: options.role ?? 'all',
    env: {
      PRESSBOX_ADMIN_USER_IDS: admin,
      FEED_ALLOW_PRIVATE_NETWORKS: 'true',
      RATE_LIMIT_USER_PER_MIN: '0',
      RATE_LIMIT_IP_PER_MIN: '0',
      ...options.env,
    },
  });
}

export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** One JSON call to the app's REST API (`/api/v1` + path) as a user. */
export async function call<T = Record<string, unknown>>(
  app: TestApp,
  path: string,
  options: { as?: string; method?: string; body?: unknown } = {},
): Promise<Reply<T>> {
  const response = await app.fetch(`/api/v1${path}`, {
    method: options.method ?? 'GET',
    as: options.as ?? admin,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: response.headers };
}

/** A source as the API returns it. */
export interface SourceDto {
  id: string;
  url: string;
  name: string;
  kind: string | null;
  league: string | null;
  teamIds: string[];
  status: 'ACTIVE' | 'PAUSED' | 'FAILING';
  nextFetchAt: string;
  lastFetchedAt: string | null;
  lastSuccessAt: string | null;
  consecutiveErrors: number;
  lastError: string | null;
  articleCount: number;
}

/** A news item as the API returns it. */
export interface NewsItemDto {
  id: string;
  title: string;
  url: string | null;
  author: string | null;
  summary: string | null;
  contentHtml: string | null;
  publishedAt: string;
  updatedAt: string;
  source: { id: string; name: string };
  teams: { id: string; matchedBy: 'SOURCE' | 'NAME' | 'ALIAS' }[];
}

export interface NewsPage {
  items: NewsItemDto[];
  nextCursor: string | null;
}

export interface JobDto {
  id: string;
  name: string;
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'delayed';
  result?: { status: string; created: number; updated: number; error?: string; nextFetchAt?: string };
  error?: string;
}

/** Adds a source over REST as the admin; fails the test unless it was created. */
export async function addSource(
  app: TestApp,
  fields: { url: string; name?: string; teamIds?: string[]; league?: string },
): Promise<{ source: SourceDto; jobId: string }> {
  const reply = await call<{ source: SourceDto; jobId: string }>(app, '/sources', { method: 'POST', body: fields });
  if (reply.status !== 200) throw new Error(`POST /sources answered ${String(reply.status)}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Asks for an immediate fetch of a source; returns the job id. */
export async function refresh(app: TestApp, sourceId: string): Promise<string> {
  const reply = await call<{ status: string; jobId: string }>(app, `/sources/${sourceId}/refresh`, { method: 'POST' });
  if (reply.status !== 202) throw new Error(`refresh answered ${String(reply.status)}: ${JSON.stringify(reply.body)}`);
  return reply.body.jobId;
}

/** Polls `GET /jobs/{jobId}` until the job has finished, or fails once the deadline has passed. */
export async function finishedJob(app: TestApp, jobId: string, { timeoutMs = 20_000, as = admin } = {}): Promise<JobDto> {
  return eventually(
    async () => (await call<JobDto>(app, `/jobs/${jobId}`, { as })).body,
    (job) => job.state === 'completed' || job.state === 'failed',
    { timeoutMs, intervalMs: 25 },
  );
}

/** Adds a source and waits for its first fetch to finish. */
export async function addAndFetch(
  app: TestApp,
  fields: { url: string; name?: string; teamIds?: string[]; league?: string },
): Promise<{ source: SourceDto; job: JobDto }> {
  const { source, jobId } = await addSource(app, fields);
  return { source, job: await finishedJob(app, jobId) };
}

/** Every news item of a team, walking the cursor. */
export async function allNews(app: TestApp, teamId: string, query = ''): Promise<NewsItemDto[]> {
  const items: NewsItemDto[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
    const reply: Reply<NewsPage> = await call<NewsPage>(app, `/teams/${teamId}/news?limit=100${query}${suffix}`);
    if (reply.status !== 200) throw new Error(`news answered ${String(reply.status)}: ${JSON.stringify(reply.body)}`);
    items.push(...reply.body.items);
    cursor = reply.body.nextCursor;
  } while (cursor !== null);
  return items;
}

export interface ServedFeed {
  /** Path on the fake server. */
  path: string;
  url: string;
  /** The document served, after its hosts were renamed. */
  body: string;
  etag: string;
}

/**
 * Serves a fixture at a fresh path with its hosts renamed (`.example.` → `.example-<tag>.`), so
 * the canonical URLs of one test never meet another's in a shared database, with an ETag and the
 * fixtures' Last-Modified (conditional requests get a 304).
 */
export function serveFixture(server: FeedServer, fixture: FeedFixture, edit: (body: string) => string = (body) => body): ServedFeed {
  const tag = randomBytes(4).toString('hex');
  const path = `/t/${tag}/${fixture}`;
  const body = edit(readFixture(fixture).replaceAll('.example.', `.example-${tag}.`));
  const etag = `"${tag}-1"`;
  server.route(path, {
    kind: 'document',
    body,
    contentType: fixture.endsWith('.json') ? 'application/feed+json' : 'application/rss+xml; charset=utf-8',
    etag,
    lastModified: FIXTURE_LAST_MODIFIED,
  });
  return { path, url: server.url(path), body, etag };
}

export { eventually };
