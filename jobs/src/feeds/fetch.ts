import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress, LookupOneOptions } from 'node:dns';
import { feedHostLimiter, type HostLimiter, type Release } from './host-limiter.ts';
import { BodyTooLargeError, readCappedBody, UnsupportedEncodingError } from './read-body.ts';
import {
  assertFetchableUrl,
  BlockedRequestError,
  resolveCheckedAddresses,
  systemResolver,
  type AddressPolicy,
  type ResolvedAddress,
  type Resolver,
} from './ssrf.ts';

/** Limits the design fixes for feed fetching. */
export const FEED_TIMEOUT_MS = 15_000;
export const FEED_MAX_BYTES = 10 * 1024 * 1024;
export const FEED_MAX_REDIRECTS = 5;

/** Identifies us to publishers, with a URL they can follow to learn what we are. */
export const FEED_USER_AGENT = 'Pressbox/0.1 (+https://github.com/pressbox; feed fetcher)';

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export interface FeedFetchOptions extends AddressPolicy {
  /**
   * Total budget for DNS, connect, headers and body across every redirect (default 15 s). It starts
   * once the first per-host slot is granted, so waiting behind other fetches of the same host is
   * not counted against the feed.
   */
  timeoutMs?: number;
  /** Largest body accepted, counted after decompression (default 10 MiB). */
  maxBytes?: number;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  userAgent?: string;
  /** DNS for host names (default: the system resolver). */
  resolver?: Resolver;
  /** Per-host concurrency (default: the process-wide limiter, 2 per host). */
  hostLimiter?: HostLimiter;
}

/** Validators from the previous successful fetch, for a conditional GET. */
export interface ConditionalRequest {
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
  /** Cancels the fetch (the abort reason is rethrown, it is not a feed error). */
  signal?: AbortSignal | undefined;
}

/** Response headers the next-fetch policy reads. */
export interface CacheHeaders {
  retryAfter?: string;
  cacheControl?: string;
  expires?: string;
  date?: string;
}

export type FetchErrorKind = 'blocked' | 'timeout' | 'too-large' | 'http' | 'network' | 'redirects';

export type FetchResult =
  | {
      status: 'ok';
      body: Buffer;
      contentType?: string;
      /** The Content-Location header, as sent: the base of the document's relative links (see `parseFeed`). */
      contentLocation?: string;
      etag?: string;
      lastModified?: string;
      finalUrl: string;
      /** Set when every redirect on the way was permanent (301/308): the feed's new address. */
      movedTo?: string;
      headers: CacheHeaders;
    }
  | { status: 'not-modified'; etag?: string; lastModified?: string; finalUrl: string; movedTo?: string; headers: CacheHeaders }
  | { status: 'error'; kind: FetchErrorKind; httpStatus?: number; message: string; retryAfter?: string; finalUrl?: string };

/** The one way Pressbox downloads feeds; tests and the worker get theirs from `createFeedFetcher`. */
export interface FeedFetcher {
  fetch(url: string, request?: ConditionalRequest): Promise<FetchResult>;
}

/**
 * A fetcher with fixed options, so the worker chooses SSRF policy, limits and DNS once at start-up.
 *
 * @example
 * const fetcher = createFeedFetcher({ allowPrivateNetworks: false });
 * const result = await fetcher.fetch(source.url, { etag: source.etag, lastModified: source.lastModified });
 */
export function createFeedFetcher(options: FeedFetchOptions): FeedFetcher {
  return { fetch: (url, request) => fetchFeed(url, { ...options, ...request }) };
}

class FetchTimeoutError extends Error {
  override name = 'FetchTimeoutError';
}

class RedirectError extends Error {
  override name = 'RedirectError';
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const permanentRedirectStatuses = new Set([301, 308]);

/**
 * Downloads a feed safely: only http(s), no credentials, only public addresses checked after DNS
 * and pinned for the connection, redirects re-checked hop by hop, a total timeout, a body cap after
 * decompression and at most two concurrent requests per host. Expected failures come back as
 * `{ status: 'error', kind }`, never as exceptions.
 *
 * @example
 * const result = await fetchFeed('https://example.com/feed.xml', { allowPrivateNetworks: false, etag: '"abc"' });
 * if (result.status === 'ok') parseFeed(result.body, { baseUrl: result.finalUrl, contentLocation: result.contentLocation, fetchedAt: new Date() });
 */
export async function fetchFeed(url: string, options: FeedFetchOptions & ConditionalRequest): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? FEED_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? FEED_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? FEED_MAX_REDIRECTS;
  const limiter = options.hostLimiter ?? feedHostLimiter;
  const resolver = options.resolver ?? systemResolver;
  const deadline = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let timer: NodeJS.Timeout | undefined;
  let current: URL | undefined;
  const visited = new Set<string>();
  let redirected = false;
  let permanently = true;
  const moved = () => (redirected && permanently && current ? { movedTo: current.href } : {});
  try {
    current = parseUrl(url);
    for (let redirects = 0; ; redirects++) {
      assertFetchableUrl(current, options);
      visited.add(current.href);
      const release: Release = await limiter.acquire(current.hostname, signal);
      timer ??= setTimeout(() => {
        deadline.abort(new FetchTimeoutError(`timed out after ${String(timeoutMs)} ms`));
      }, timeoutMs);
      try {
        const addresses = await untilAborted(resolveCheckedAddresses(current, resolver, options), signal);
        const response = await send(current, addresses, requestHeaders(options), signal);
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (redirectStatuses.has(status) && location !== undefined) {
          // Bodies we do not read are cut off, not drained: a hostile server could stream forever.
          response.destroy();
          if (redirects >= maxRedirects) throw new RedirectError(`more than ${String(maxRedirects)} redirects`);
          const next = parseUrl(location, current);
          if (visited.has(next.href)) throw new RedirectError('redirect loop');
          redirected = true;
          permanently &&= permanentRedirectStatuses.has(status);
          current = next;
          continue;
        }
        const headers = cacheHeaders(response);
        if (status === 304) {
          response.destroy();
          return { status: 'not-modified', ...validators(response), finalUrl: current.href, ...moved(), headers };
        }
        if (status < 200 || status > 299) {
          response.destroy();
          return {
            status: 'error',
            kind: 'http',
            httpStatus: status,
            message: `HTTP ${String(status)}`,
            ...(headers.retryAfter === undefined ? {} : { retryAfter: headers.retryAfter }),
            finalUrl: current.href,
          };
        }
        const body = await readCappedBody(response, maxBytes);
        const contentType = response.headers['content-type'];
        const contentLocation = header(response, 'content-location');
        return {
          status: 'ok',
          body,
          ...(contentType === undefined ? {} : { contentType }),
          ...(contentLocation === undefined ? {} : { contentLocation }),
          ...validators(response),
          finalUrl: current.href,
          ...moved(),
          headers,
        };
      } finally {
        release();
      }
    }
  } catch (error) {
    if (options.signal?.aborted && !deadline.signal.aborted) throw options.signal.reason;
    return { ...describeFailure(error, deadline.signal, timeoutMs), ...(current ? { finalUrl: current.href } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

/** getaddrinfo cannot be cancelled, but the fetch can stop waiting for it. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function parseUrl(value: string, base?: URL): URL {
  try {
    return new URL(value, base);
  } catch {
    throw new BlockedRequestError('not a valid URL');
  }
}

function requestHeaders(options: FeedFetchOptions & ConditionalRequest): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'user-agent': options.userAgent ?? FEED_USER_AGENT,
    accept: ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

/** A `lookup` that answers only with the addresses already checked: no second DNS query. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): NonNullable<RequestOptions['lookup']> {
  return (_hostname, lookupOptions, callback) => {
    const wanted = (lookupOptions as LookupOneOptions).family;
    const usable = addresses.filter((answer) => wanted === undefined || wanted === 0 || answer.family === wanted);
    if (lookupOptions.all === true) {
      const all: LookupAddress[] = usable.map((answer) => ({ address: answer.address, family: answer.family }));
      (callback as (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void)(null, all);
      return;
    }
    const first = usable[0];
    if (first === undefined) {
      callback(Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    callback(null, first.address, first.family);
  };
}

function send(
  url: URL,
  addresses: readonly ResolvedAddress[],
  headers: OutgoingHttpHeaders,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options: RequestOptions = { method: 'GET', headers, agent: false, lookup: pinnedLookup(addresses), signal };
    const request = url.protocol === 'https:' ? httpsRequest(url, options) : httpRequest(url, options);
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function validators(response: IncomingMessage): { etag?: string; lastModified?: string } {
  const etag = header(response, 'etag');
  const lastModified = header(response, 'last-modified');
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function cacheHeaders(response: IncomingMessage): CacheHeaders {
  const result: CacheHeaders = {};
  const retryAfter = header(response, 'retry-after');
  const cacheControl = header(response, 'cache-control');
  const expires = header(response, 'expires');
  const date = header(response, 'date');
  if (retryAfter) result.retryAfter = retryAfter;
  if (cacheControl) result.cacheControl = cacheControl;
  if (expires) result.expires = expires;
  if (date) result.date = date;
  return result;
}

type FetchFailure = Extract<FetchResult, { status: 'error' }>;

const networkMessages: Readonly<Record<string, string>> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  Z_DATA_ERROR: 'the compressed body is corrupt',
  Z_BUF_ERROR: 'the compressed body is truncated',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection closed before the body ended',
  HPE_INVALID_CONSTANT: 'invalid HTTP response',
};

/** Maps whatever went wrong to a kind and a short message that reveals nothing internal. */
function describeFailure(error: unknown, deadline: AbortSignal, timeoutMs: number): FetchFailure {
  if (deadline.aborted) return { status: 'error', kind: 'timeout', message: `timed out after ${String(timeoutMs)} ms` };
  if (error instanceof BlockedRequestError) return { status: 'error', kind: 'blocked', message: error.message };
  if (error instanceof BodyTooLargeError) return { status: 'error', kind: 'too-large', message: error.message };
  if (error instanceof RedirectError) return { status: 'error', kind: 'redirects', message: error.message };
  if (error instanceof UnsupportedEncodingError) return { status: 'error', kind: 'network', message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : networkMessages[code];
  if (known !== undefined) return { status: 'error', kind: 'network', message: known };
  if (typeof code === 'string' && /^(?:CERT_|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)) {
    return { status: 'error', kind: 'network', message: `TLS certificate problem (${code})` };
  }
  return { status: 'error', kind: 'network', message: code ? `network error (${code})` : 'network error' };
}
