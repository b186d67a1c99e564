import {
  AppError,
  loadSourceForFetch,
  publicMessageOf,
  recordFetchAttempt,
  type FetchAttempt,
  moveSource,
  recordSourceFetch,
  teamsOfLeague,
  type Database,
  type PrismaClient,
  type SourceKind,
  type SourceStatus,
  type StoreResult,
  type StoreAnnouncer,
  type FetchedSource,
  type SourceFetchUpdate,
  type Team,
} from '@pressbox/db';
import type { CacheHeaders, FeedFetcher, FetchErrorKind, FetchResult } from './fetch.ts';
import { FeedParseError } from './parse.ts';
import { parseHere, type FeedParser } from './parser.ts';
import { nextFetchAt } from './schedule.ts';
import { MAX_URL_LENGTH } from './urls.ts';
import { storeFeedItems } from './store.ts';
import type { ParsedFeed } from './types.ts';

/** The database a refresh reads and writes: Prisma for the Source row, the raw path for storing the entries. */
export type RefreshDatabase = Pick<Database, 'prisma' | 'sql'>;

export interface RefreshDeps {
  fetcher: FeedFetcher;
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Team rows for league-wide tagging; loaded from the database when omitted. */
  teams?: readonly Pick<Team, 'id' | 'league' | 'name' | 'shortName' | 'aliases'>[];
  /** Fetch a PAUSED source anyway (an admin's explicit refresh); its status stays PAUSED. */
  force?: boolean;
  signal?: AbortSignal;
  /** The job running this refresh, recorded with the fetch attempt. */
  jobId?: string;
  /** The events announcing what was stored, committed in the same transaction as the entries. */
  announce?: StoreAnnouncer;
  /** Parses the fetched document (`parseHere` when omitted; workers parse off the event loop, see `feedParserThread`). */
  parse?: FeedParser;
}

export type RefreshErrorKind = FetchErrorKind | 'parse' | 'store';

export type RefreshOutcome =
  | ({
      status: 'stored';
      sourceId: string;
      kind: SourceKind;
      finalUrl: string;
      itemCount: number;
      /** Bytes of the document as read (after decompression). */
      bytes: number;
      /** Article ids per team that are news to that team: created articles and newly linked ones. */
      newsByTeam: Record<string, string[]>;
      nextFetchAt: Date;
      /** The source's new URL, when the feed moved permanently and the source now points there. */
      movedTo?: string;
    } & StoreResult)
  | { status: 'not-modified'; sourceId: string; nextFetchAt: Date; movedTo?: string }
  | {
      status: 'failed';
      sourceId: string;
      error: { kind: RefreshErrorKind; message: string };
      consecutiveErrors: number;
      nextFetchAt: Date;
      /** The status of the feed's answer, when it answered. */
      httpStatus?: number;
      bytes?: number;
    }
  | { status: 'skipped'; sourceId: string; reason: 'not-found' | 'paused' };

const MAX_ERROR_LENGTH = 300;

const errorLabels: Readonly<Record<RefreshErrorKind, string>> = {
  blocked: 'Blocked',
  timeout: 'Timeout',
  'too-large': 'Too large',
  http: 'HTTP error',
  network: 'Network error',
  redirects: 'Redirects',
  parse: 'Not a readable feed',
  store: 'Storage error',
};

/**
 * One feed refresh, start to finish: conditional GET, parse, store, then the Source row (validators,
 * kind, timestamps, error count, status and next fetch time). Feed failures (network, HTTP,
 * unreadable documents) are recorded on the row and returned, and never stop the schedule: a
 * failing source is marked FAILING and retried with backoff forever. Database failures are
 * recorded when possible and rethrown for the job runner. Validators are only saved after the entries are stored, so a
 * document that failed to parse is fetched in full next time rather than answered with a 304.
 * A feed that moved permanently (301/308 all the way) is fetched at its new URL from then on.
 *
 * @example
 * const outcome = await refreshSource(db, sourceId, { fetcher: createFeedFetcher({ allowPrivateNetworks: false }) });
 * if (outcome.status === 'stored') for (const [teamId, ids] of Object.entries(outcome.newsByTeam)) publish(teamId, ids);
 */
export async function refreshSource(db: RefreshDatabase, sourceId: string, deps: RefreshDeps): Promise<RefreshOutcome> {
  const { prisma } = db;
  const clock = deps.now ?? (() => new Date());
  const startedAt = clock();
  const started = performance.now();
  try {
    const outcome = await refreshOnce(db, sourceId, deps, clock);
    if (outcome.status !== 'skipped' || outcome.reason !== 'not-found') {
      await recordFetchAttempt(prisma, sourceId, fetchAttemptOf(outcome, startedAt, performance.now() - started, deps.jobId));
    }
    return outcome;
  } catch (error) {
    const attempt = failedAttempt(
      publicMessageOf(error, 'Internal error: the fetch could not be completed'),
      startedAt,
      performance.now() - started,
      deps.jobId,
    );
    await recordFetchAttempt(prisma, sourceId, attempt).catch(() => undefined);
    throw error;
  }
}

async function refreshOnce(db: RefreshDatabase, sourceId: string, deps: RefreshDeps, clock: () => Date): Promise<RefreshOutcome> {
  const { prisma } = db;
  const source = await loadSourceForFetch(prisma, sourceId);
  if (!source) return { status: 'skipped', sourceId, reason: 'not-found' };
  if (source.status === 'PAUSED' && deps.force !== true) return { status: 'skipped', sourceId, reason: 'paused' };
  const healthy: SourceStatus = source.status === 'PAUSED' ? 'PAUSED' : 'ACTIVE';
  const failing: SourceStatus = source.status === 'PAUSED' ? 'PAUSED' : 'FAILING';

  const fail = async (
    kind: RefreshErrorKind,
    message: string,
    headers?: CacheHeaders,
    response: { httpStatus?: number; bytes?: number } = {},
  ): Promise<RefreshOutcome> => {
    const now = clock();
    const consecutiveErrors = source.consecutiveErrors + 1;
    const next = nextFetchAt({ now, consecutiveErrors, headers });
    const lastError = `${errorLabels[kind]}: ${message}`.slice(0, MAX_ERROR_LENGTH);
    await recordSourceFetch(prisma, sourceId, { lastFetchedAt: now, consecutiveErrors, lastError, status: failing, nextFetchAt: next });
    return { status: 'failed', sourceId, error: { kind, message }, consecutiveErrors, nextFetchAt: next, ...response };
  };

  const fetched = await deps.fetcher.fetch(source.url, { etag: source.etag, lastModified: source.lastModified, signal: deps.signal });
  if (fetched.status === 'error')
    return fail(
      fetched.kind,
      fetched.message,
      fetched.retryAfter === undefined ? undefined : { retryAfter: fetched.retryAfter },
      fetched.httpStatus === undefined ? {} : { httpStatus: fetched.httpStatus },
    );

  const now = clock();
  const succeeded = { lastFetchedAt: now, lastSuccessAt: now, consecutiveErrors: 0, lastError: null, status: healthy };
  if (fetched.status === 'not-modified') {
    // The document did not change, so its <ttl> still holds.
    const next = nextFetchAt({ now, consecutiveErrors: 0, headers: fetched.headers, ttlMinutes: source.ttlMinutes ?? undefined });
    await recordSourceFetch(prisma, sourceId, {
      ...succeeded,
      nextFetchAt: next,
      ...(fetched.etag ? { etag: fetched.etag } : {}),
      ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
    });
    return { status: 'not-modified', sourceId, nextFetchAt: next, ...(await followMove(prisma, source, fetched.movedTo)) };
  }

  return readAndStore(db, source, fetched, { deps, now, succeeded, fail });
}

interface StoreStep {
  deps: RefreshDeps;
  now: Date;
  /** The Source row's fields after a successful fetch. */
  succeeded: SourceFetchUpdate;
  fail: (
    kind: RefreshErrorKind,
    message: string,
    headers?: CacheHeaders,
    response?: { httpStatus?: number; bytes?: number },
  ) => Promise<RefreshOutcome>;
}

/** Parses a fetched document, stores its entries and records the success on the Source row. */
async function readAndStore(
  { prisma, sql }: RefreshDatabase,
  source: FetchedSource,
  fetched: Extract<FetchResult, { status: 'ok' }>,
  { deps, now, succeeded, fail }: StoreStep,
): Promise<RefreshOutcome> {
  const sourceId = source.id;
  let feed: ParsedFeed;
  try {
    feed = await (deps.parse ?? parseHere)(fetched.body, {
      baseUrl: fetched.finalUrl,
      contentLocation: fetched.contentLocation,
      fetchedAt: now,
      contentType: fetched.contentType,
    });
  } catch (error) {
    if (error instanceof FeedParseError) return fail('parse', error.message, undefined, { httpStatus: 200, bytes: fetched.body.length });
    throw error;
  }

  let stored: StoreResult;
  try {
    const teams = deps.teams ?? (source.league === null ? [] : await teamsOfLeague(prisma, source.league));
    stored = await storeFeedItems(sql, { id: source.id, league: source.league, teamIds: source.teamIds }, feed.items, {
      teams,
      now,
      announce: deps.announce,
    });
  } catch (error) {
    // A database failure is not the feed's fault, but the row still says what happened; the
    // error goes on to the job runner, which logs it and retries.
    await fail('store', 'the entries could not be stored').catch(() => undefined);
    throw new AppError('SERVICE_UNAVAILABLE', `${errorLabels.store}: the entries could not be stored`, { cause: error });
  }

  const next = nextFetchAt({ now, consecutiveErrors: 0, headers: fetched.headers, ttlMinutes: feed.ttlMinutes });
  await recordSourceFetch(prisma, sourceId, {
    ...succeeded,
    kind: feed.kind,
    etag: fetched.etag ?? null,
    lastModified: fetched.lastModified ?? null,
    ttlMinutes: feed.ttlMinutes ?? null,
    nextFetchAt: next,
  });
  return {
    status: 'stored',
    sourceId,
    kind: feed.kind,
    finalUrl: fetched.finalUrl,
    itemCount: feed.items.length,
    bytes: fetched.body.length,
    ...stored,
    newsByTeam: newsByTeam(stored),
    nextFetchAt: next,
    ...(await followMove(prisma, source, fetched.movedTo)),
  };
}

/**
 * A feed whose every redirect was permanent (301/308) is polled at its new address from now on,
 * as feed readers do, unless another source has that address already.
 */
async function followMove(
  prisma: PrismaClient,
  source: { id: string; url: string },
  movedTo: string | undefined,
): Promise<{ movedTo?: string }> {
  if (movedTo === undefined || movedTo === source.url || movedTo.length > MAX_URL_LENGTH) return {};
  return (await moveSource(prisma, source.id, source.url, movedTo)) ? { movedTo } : {};
}

/** Article ids per team that are news to that team: created articles and newly linked ones. */
export function newsByTeam(stored: Pick<StoreResult, 'created' | 'linked'>): Record<string, string[]> {
  const byTeam = new Map<string, string[]>();
  for (const { articleId, teamIds } of [...stored.created, ...stored.linked]) {
    for (const teamId of teamIds) byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), articleId]);
  }
  return Object.fromEntries(byTeam);
}

/** How a refresh is remembered among the source's fetch attempts. */
function fetchAttemptOf(outcome: RefreshOutcome, startedAt: Date, durationMs: number, jobId: string | undefined): FetchAttempt {
  const base = { ...failedAttempt(null, startedAt, durationMs, jobId), outcome: 'SKIPPED' as const };
  switch (outcome.status) {
    case 'stored':
      return {
        ...base,
        outcome: 'STORED',
        httpStatus: 200,
        bytes: outcome.bytes,
        created: outcome.created.length,
        updated: outcome.updated.length,
        unchanged: outcome.unchanged,
        linked: outcome.linked.length,
        newsByTeam: Object.fromEntries(Object.entries(outcome.newsByTeam).map(([teamId, ids]) => [teamId, ids.length])),
        nextFetchAt: outcome.nextFetchAt,
      };
    case 'not-modified':
      return { ...base, outcome: 'NOT_MODIFIED', httpStatus: 304, nextFetchAt: outcome.nextFetchAt };
    case 'failed':
      return {
        ...base,
        outcome: 'FAILED',
        httpStatus: outcome.httpStatus ?? null,
        bytes: outcome.bytes ?? null,
        error: `${errorLabels[outcome.error.kind]}: ${outcome.error.message}`.slice(0, MAX_ERROR_LENGTH),
        nextFetchAt: outcome.nextFetchAt,
      };
    case 'skipped':
      return { ...base, error: outcome.reason === 'paused' ? 'The source is paused' : 'The source no longer exists' };
  }
}

function failedAttempt(error: string | null, startedAt: Date, durationMs: number, jobId: string | undefined): FetchAttempt {
  return {
    startedAt,
    durationMs: Math.round(durationMs),
    outcome: 'FAILED',
    httpStatus: null,
    bytes: null,
    created: 0,
    updated: 0,
    unchanged: 0,
    linked: 0,
    newsByTeam: {},
    error,
    jobId: jobId ?? null,
    nextFetchAt: null,
  };
}
