import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** Fixture documents under `test/fakes/feeds/`, each served at `/feeds/<name>` by default. */
export const feedFixtures = {
  rss2: 'rss2.xml',
  rss091: 'rss091.xml',
  rdf: 'rdf.xml',
  atom: 'atom.xml',
  jsonFeed: 'feed.json',
  leagueWide: 'league-wide.xml',
  billionLaughs: 'billion-laughs.xml',
  xxe: 'xxe.xml',
  scriptLaden: 'script-laden.xml',
  notAFeed: 'not-a-feed.html',
  malformed: 'malformed.xml',
} as const;

export type FeedFixture = (typeof feedFixtures)[keyof typeof feedFixtures];

const fixturesDir = new URL('./feeds/', import.meta.url);

/** The text of a fixture document. */
export function readFixture(name: FeedFixture): string {
  return readFileSync(new URL(name, fixturesDir), 'utf8');
}

/** The exact bytes of a document under `test/fakes/feeds/` (wild ones are in `wild/`, in many charsets). */
export function readFixtureBytes(path: string): Buffer {
  return readFileSync(new URL(path, fixturesDir));
}

function contentTypeOf(name: string): string {
  if (name.endsWith('.json')) return 'application/feed+json';
  if (name.endsWith('.html')) return 'text/html; charset=utf-8';
  if (name === feedFixtures.atom) return 'application/atom+xml';
  if (name === feedFixtures.rdf) return 'application/rdf+xml';
  return 'application/rss+xml; charset=utf-8';
}

/** The Last-Modified every default fixture route sends. */
export const FIXTURE_LAST_MODIFIED = 'Wed, 01 May 2024 10:00:00 GMT';

/** How the server answers one path. */
export type FeedRoute =
  /** A document; with `etag`/`lastModified`, conditional requests that match get a 304. */
  | {
      kind: 'document';
      body: string | Buffer;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      headers?: Record<string, string>;
      /** Send it gzip-compressed (Content-Encoding: gzip). */
      gzip?: boolean;
      /** Hold the response this long first (to observe concurrency). */
      delayMs?: number;
    }
  /** A bare status (304, 429 with Retry-After, 500, ...). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** Headers at once, then `chunk` every `intervalMs`, `chunks` times: a slow body. */
  | { kind: 'trickle'; intervalMs: number; chunks: number; chunk?: string }
  /** `bytes` of filler, streamed (with a Content-Length only when `declareLength`). */
  | { kind: 'oversized'; bytes: number; declareLength?: boolean }
  /** A small gzip body that inflates to `decompressedBytes` of zeros. */
  | { kind: 'gzip-bomb'; decompressedBytes: number }
  /** Deterministic binary junk served as if it were XML. */
  | { kind: 'junk'; bytes: number };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** When it arrived (epoch ms). */
  at: number;
}

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Sets (or replaces) how a path is answered. */
  route(path: string, route: FeedRoute): void;
  /** Requests received, optionally only those for one path, in arrival order. */
  requests(path?: string): RecordedRequest[];
  /** Requests received for a path. */
  count(path: string): number;
  /** Most requests that were being answered at the same moment (all paths together). */
  maxConcurrent(): number;
  close(): Promise<void>;
}

const bombs = new Map<number, Buffer>();

function gzipBomb(decompressedBytes: number): Buffer {
  let bomb = bombs.get(decompressedBytes);
  if (!bomb) {
    bomb = gzipSync(Buffer.alloc(decompressedBytes), { level: 9 });
    bombs.set(decompressedBytes, bomb);
  }
  return bomb;
}

function junk(bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  let state = 0x2545f491;
  for (let index = 0; index < bytes; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    buffer[index] = state >>> 24;
  }
  return buffer;
}

function defaultRoutes(): Map<string, FeedRoute> {
  const routes = new Map<string, FeedRoute>();
  for (const name of Object.values(feedFixtures)) {
    const body = readFixture(name);
    routes.set(`/feeds/${name}`, {
      kind: 'document',
      body,
      contentType: contentTypeOf(name),
      etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`,
      lastModified: FIXTURE_LAST_MODIFIED,
    });
  }
  return routes;
}

function notModified(request: IncomingMessage, route: Extract<FeedRoute, { kind: 'document' }>): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && route.etag !== undefined) {
    return ifNoneMatch.split(',').some((tag) => tag.trim() === route.etag || tag.trim() === '*');
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince !== undefined && route.lastModified !== undefined) {
    const since = Date.parse(ifModifiedSince);
    return Number.isFinite(since) && Date.parse(route.lastModified) <= since;
  }
  return false;
}

/** Writes `total` bytes of `filler` with backpressure, stopping if the client goes away. */
function stream(response: ServerResponse, total: number, filler: Buffer): void {
  let sent = 0;
  const pump = () => {
    while (sent < total && !response.destroyed) {
      const piece = filler.subarray(0, Math.min(filler.length, total - sent));
      sent += piece.length;
      if (!response.write(piece)) {
        response.once('drain', pump);
        return;
      }
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for the feed publishers of the world:
 * every fixture at `/feeds/<name>` with ETag and Last-Modified, and any path switchable to 304,
 * 429, 500, slow bodies, redirects (chains, loops, to private addresses), oversized bodies, gzip
 * bombs and junk. It records every request's headers and the highest concurrency it saw.
 *
 * @example
 * const server = await startFeedServer();
 * server.route('/busy', { kind: 'status', status: 429, headers: { 'retry-after': '120' } });
 * await fetchFeed(server.url('/busy'), { allowPrivateNetworks: true });
 * await server.close();
 */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = defaultRoutes();
  const recorded: RecordedRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
    return timer;
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    recorded.push({ method: request.method ?? 'GET', path, headers: { ...request.headers }, at: Date.now() });
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    let counted = true;
    response.once('close', () => {
      if (counted) inFlight -= 1;
      counted = false;
    });
    const route = routes.get(path);
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    switch (route.kind) {
      case 'document': {
        const send = () => {
          if (response.destroyed) return;
          const validators = {
            ...(route.etag ? { etag: route.etag } : {}),
            ...(route.lastModified ? { 'last-modified': route.lastModified } : {}),
          };
          if (notModified(request, route)) {
            response.writeHead(304, { ...validators, ...route.headers }).end();
            return;
          }
          const raw = Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body);
          const body = route.gzip ? gzipSync(raw) : raw;
          response
            .writeHead(200, {
              'content-type': route.contentType ?? 'application/rss+xml',
              'content-length': String(body.length),
              ...(route.gzip ? { 'content-encoding': 'gzip' } : {}),
              ...validators,
              ...route.headers,
            })
            .end(body);
        };
        if (route.delayMs) later(route.delayMs, send);
        else send();
        return;
      }
      case 'status':
        response.writeHead(route.status, { 'content-type': 'text/plain', ...route.headers }).end(route.body ?? '');
        return;
      case 'redirect':
        response.writeHead(route.status ?? 302, { location: route.location }).end();
        return;
      case 'trickle': {
        response.writeHead(200, { 'content-type': 'application/rss+xml' });
        let sent = 0;
        const tick = () => {
          if (response.destroyed) return;
          if (sent >= route.chunks) {
            response.end();
            return;
          }
          sent += 1;
          response.write(route.chunk ?? ' ');
          later(route.intervalMs, tick);
        };
        tick();
        return;
      }
      case 'oversized':
        response.writeHead(200, {
          'content-type': 'application/rss+xml',
          ...(route.declareLength ? { 'content-length': String(route.bytes) } : {}),
        });
        stream(response, route.bytes, Buffer.alloc(64 * 1024, '<!-- filler -->'));
        return;
      case 'gzip-bomb': {
        const bomb = gzipBomb(route.decompressedBytes);
        response
          .writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', 'content-length': String(bomb.length) })
          .end(bomb);
        return;
      }
      case 'junk': {
        const body = junk(route.bytes);
        response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(body.length) }).end(body);
        return;
      }
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    origin,
    url: (path) => new URL(path, origin).href,
    route: (path, route) => {
      routes.set(path, route);
    },
    requests: (path) => recorded.filter((request) => path === undefined || request.path === path),
    count: (path) => recorded.filter((request) => request.path === path).length,
    maxConcurrent: () => peak,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    },
  };
}
