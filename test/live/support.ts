import { createServer, connect, type Server, type Socket } from 'node:net';
import type { DatabaseKind } from '@pressbox/db';
import type { AppRouter } from '@pressbox/server';
import type { StoredEvent } from '@pressbox/jobs';
import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from '@trpc/client';
import WebSocket from 'ws';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/waiting.ts';

export { until };

/** `ws://…/trpc` of an API whose HTTP origin is `httpUrl`. */
export function socketUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/trpc`;
}

export interface LiveClientOptions {
  /** Where to connect, asked again before every connection attempt. */
  url: string | (() => string);
  /** The session token, asked again before every connection attempt (`connectionParams`). */
  token: () => string | Promise<string>;
  /** Delay before reconnect attempt N (the tRPC client's default when omitted). */
  retryDelayMs?: (attemptIndex: number) => number;
}

export interface LiveClient {
  trpc: TRPCClient<AppRouter>;
  /** WebSocket connections this client has opened so far. */
  attempts(): number;
  /** Close codes of the sockets this client has seen closed, in order. */
  closeCodes(): number[];
  close(): Promise<void>;
}

/**
 * A tRPC client speaking to Pressbox over WebSocket, as the frontend does: `wsLink` with the
 * token in `connectionParams`. It counts the sockets it opens, to observe reconnections.
 */
export function liveClient(options: LiveClientOptions): LiveClient {
  let attempts = 0;
  const closeCodes: number[] = [];
  class CountingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      attempts += 1;
      this.once('close', (code: number) => closeCodes.push(code));
    }
  }
  const url = options.url;
  const wsClient = createWSClient({
    url: typeof url === 'string' ? socketUrl(url) : () => socketUrl(url()),
    // The client is typed against the DOM WebSocket; `ws` implements the part it uses.
    WebSocket: CountingWebSocket as unknown as NonNullable<Parameters<typeof createWSClient>[0]['WebSocket']>,
    connectionParams: async () => ({ token: await options.token() }),
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
  });
  return {
    trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }),
    attempts: () => attempts,
    closeCodes: () => [...closeCodes],
    close: () => wsClient.close(),
  };
}

/** What a tracked subscription delivers: the event id and the event. */
export interface TrackedEvent {
  id: string;
  data: StoredEvent;
}

export interface Received {
  events: TrackedEvent[];
  errors: unknown[];
  /** `started` acknowledgements (one per (re)subscription the server accepted). */
  started: number;
  ids(): string[];
  stop(): void;
}

type Handlers = {
  onStarted: () => void;
  onData: (value: TrackedEvent) => void;
  onError: (error: unknown) => void;
};

/** Subscribes through the given call and records what arrives. */
export function receive(subscribe: (handlers: Handlers) => { unsubscribe(): void }): Received {
  const received: Omit<Received, 'stop' | 'ids'> = { events: [], errors: [], started: 0 };
  const subscription = subscribe({
    onStarted: () => {
      received.started += 1;
    },
    onData: (value) => received.events.push(value),
    onError: (error) => received.errors.push(error),
  });
  return {
    get events() {
      return received.events;
    },
    get errors() {
      return received.errors;
    },
    get started() {
      return received.started;
    },
    ids: () => received.events.map((event) => event.id),
    stop: () => {
      subscription.unsubscribe();
    },
  };
}

export interface RawSocket {
  socket: WebSocket;
  /** Every text message received, parsed when it is JSON. */
  messages: unknown[];
  /** Resolves with the close code and reason once the socket is closed. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Waits for a message matching `predicate`; resolves with it. */
  waitFor(predicate: (message: unknown) => boolean, timeoutMs: number, what: string): Promise<unknown>;
}

/**
 * A bare WebSocket speaking the tRPC protocol by hand, to see exactly what the server sends
 * (errors with `id: null`, the `reconnect` notification, close codes).
 */
export async function openRawSocket(url: string, options: { connectionParams?: boolean } = {}): Promise<RawSocket> {
  const socket = new WebSocket(`${url}${options.connectionParams === false ? '' : '?connectionParams=1'}`);
  const messages: unknown[] = [];
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    try {
      messages.push(JSON.parse(text));
    } catch {
      messages.push(text);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code: number, reason: Buffer) => {
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => {
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    waitFor: async (predicate, timeoutMs, what) => {
      await until(() => messages.some(predicate), timeoutMs, what);
      return messages.find(predicate);
    },
  };
}

/** The tRPC subscription request a client sends, by hand. */
export function subscriptionMessage(id: number, path: string, input: unknown): unknown {
  return { id, jsonrpc: '2.0', method: 'subscription', params: { path, input } };
}

/** A field of a JSON message, without trusting its shape. */
export function field(message: unknown, ...path: string[]): unknown {
  let value: unknown = message;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export interface Proxy {
  /** Port on 127.0.0.1 that forwards to the target. */
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Drops every open connection at once, as a network failure would. */
  cut(): void;
  /** Stops reading what the target sends on every open connection (a client that stops reading). */
  stopReading(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server: a network between client and server that the
 * test can cut, or make stop reading.
 */
export async function startProxy(targetPort: number): Promise<Proxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const opened = () => [...pairs];
  return {
    port,
    url: `http://127.0.0.1:${String(port)}`,
    accepted: () => accepted,
    cut: () => {
      for (const pair of opened()) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    stopReading: () => {
      for (const pair of opened()) {
        pair.upstream.unpipe(pair.client);
        pair.upstream.pause();
      }
    },
    close: async () => {
      for (const pair of opened()) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

export interface FeedItem {
  guid: string;
  title: string;
  description?: string;
  publishedAt: Date;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** An RSS 2.0 document with these items, newest first as feeds list them. */
export function rssFeed(title: string, items: readonly FeedItem[]): string {
  const entries = [...items]
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
    .map(
      (item) => `    <item>
      <guid isPermaLink="false">${escapeXml(item.guid)}</guid>
      <title>${escapeXml(item.title)}</title>
      <link>https://news.example.com/${encodeURIComponent(item.guid)}</link>
      <description>${escapeXml(item.description ?? `${item.title}, in full.`)}</description>
      <pubDate>${item.publishedAt.toUTCString()}</pubDate>
    </item>`,
    );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${escapeXml(title)}</title>
    <link>https://news.example.com/</link>
    <description>${escapeXml(title)}</description>
${entries.join('\n')}
  </channel>
</rss>
`;
}

/** A news item as `news.created` carries it, for events published straight on the bus. */
export function newsItem(id: string, teamIds: readonly string[], extra: { title?: string; contentHtml?: string } = {}) {
  const at = new Date().toISOString();
  return {
    id,
    title: extra.title ?? `Story ${id}`,
    url: `https://news.example.com/${id}`,
    author: null,
    summary: null,
    contentHtml: extra.contentHtml ?? null,
    publishedAt: at,
    updatedAt: at,
    source: { id: 'src_live', name: 'Live desk' },
    teams: teamIds.map((teamId) => ({ id: teamId, matchedBy: 'SOURCE' as const })),
    alsoFrom: [],
  };
}

/** Value of an unlabelled gauge in a Prometheus text exposition. */
export function metricValue(exposition: string, name: string): number | undefined {
  for (const line of exposition.split('\n')) {
    const [key, value] = line.split(' ');
    if (key === name && value !== undefined) return Number(value);
  }
  return undefined;
}

/** `fetch` against one API as one user (a Bearer token is added). */
export type FetchAs = (path: string, init?: RequestInit) => Promise<Response>;

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: HTTP ${String(response.status)} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The admin REST calls these suites make, over any API process. */
export function adminApi(fetchAs: FetchAs) {
  const send = (method: string, path: string, body?: unknown) =>
    fetchAs(path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    /** Adds a feed source for these teams; its first fetch is enqueued at once. */
    async addSource(url: string, teamIds: readonly string[]): Promise<{ sourceId: string; jobId: string }> {
      const created = await json<{ source: { id: string }; jobId: string }>(
        await send('POST', '/api/v1/sources', { url, teamIds }),
        'POST /sources',
      );
      return { sourceId: created.source.id, jobId: created.jobId };
    },
    /** Fetches a source again now; resolves with the job id. */
    async refresh(sourceId: string): Promise<string> {
      const accepted = await json<{ jobId: string }>(
        await send('POST', `/api/v1/sources/${sourceId}/refresh`),
        'POST /sources/:id/refresh',
      );
      return accepted.jobId;
    },
    /** Waits until a job completed; throws when it failed. */
    async jobDone(jobId: string, timeoutMs = 20_000): Promise<unknown> {
      let result: unknown;
      await until(
        async () => {
          const job = await json<{ state: string; result?: unknown; error?: string }>(
            await send('GET', `/api/v1/jobs/${jobId}`),
            'GET /jobs/:id',
          );
          if (job.state === 'failed') throw new Error(`job ${jobId} failed: ${job.error ?? ''}`);
          result = job.result;
          return job.state === 'completed';
        },
        timeoutMs,
        `job ${jobId}`,
      );
      return result;
    },
    async importGames(rows: readonly Record<string, unknown>[]): Promise<unknown> {
      return json(await send('POST', '/api/v1/games/import', { rows }), 'POST /games/import');
    },
    async follow(teamId: string): Promise<void> {
      await json(await send('PUT', `/api/v1/me/follows/${teamId}`), 'PUT /me/follows/:teamId');
    },
  };
}

/** The two ways these suites run a single API: embedded, and on the real Postgres and Redis. */
export const singleApiSetups: { database: DatabaseKind; redis: boolean; label: string }[] = [
  { database: 'pglite', redis: false, label: 'PGlite and the in-process bus' },
  { database: 'postgres', redis: true, label: 'Postgres and Redis' },
];

export interface NewsHarness {
  app: TestApp;
  feeds: FeedServer;
  admin: ReturnType<typeof adminApi>;
  /** Serves a feed at `path` with these items and fetches it (a new source the first time); resolves with the source id. */
  ingest(path: string, teamIds: string[], items: readonly FeedItem[], sourceId?: string): Promise<string>;
  /** Event-bus listeners of a team in the app's process. */
  listening(teamId: string): number;
  close(): Promise<void>;
}

/** An API that may fetch from a local feed server, with `adminUserId` as its admin. */
export async function startNewsHarness(setup: { database: DatabaseKind; redis: boolean }, adminUserId: string): Promise<NewsHarness> {
  const feeds = await startFeedServer();
  const app = await startTestApp({
    database: setup.database,
    redis: setup.redis,
    env: { FEED_ALLOW_PRIVATE_NETWORKS: 'true', PRESSBOX_ADMIN_USER_IDS: adminUserId },
  });
  const admin = adminApi((path, init) => app.fetch(path, { ...init, as: adminUserId }));
  return {
    app,
    feeds,
    admin,
    async ingest(path, teamIds, items, sourceId) {
      feeds.route(path, { kind: 'document', body: rssFeed(`Desk ${path}`, items), contentType: 'application/rss+xml' });
      if (sourceId) {
        await admin.jobDone(await admin.refresh(sourceId));
        return sourceId;
      }
      const created = await admin.addSource(feeds.url(path), teamIds);
      await admin.jobDone(created.jobId);
      return created.sourceId;
    },
    listening: (teamId) => app.running.services.events.listenerCount({ teamId }),
    async close() {
      await app.close();
      await feeds.close();
    },
  };
}
