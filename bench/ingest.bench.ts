import { openDatabase, upsertReferenceTeams, type Database, type League, type PrismaClient } from '@pressbox/db';
import { feedParserThread, parseFeed, parseHere, storeFeedItems, type FeedItem, type FeedParser, type StoreSource } from '@pressbox/jobs';
import { createScratchPostgres } from '@pressbox/test/support/databases.ts';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuMsBetween, cpuMsByPid } from './lib/cpu.ts';
import { percentiles, round } from './lib/stats.ts';
import { generateFeed } from './lib/feeds.ts';
import { record } from './lib/report.ts';

/*
 * Ingestion throughput: generated RSS feeds of realistic size go through parseFeed (XML, dates,
 * URLs, HTML sanitizing, item keys, hashes) and storeFeedItems (dedup, upsert, team tagging) into
 * a scratch Postgres database, feed after feed as the fetch worker does. BENCH_QUICK=1 shrinks it
 * to a smoke run.
 */

const quick = process.env.BENCH_QUICK === '1';
const FEEDS = quick ? 5 : 20;
const ITEMS = quick ? 40 : 100;
const PARSE_ROUNDS = quick ? 2 : 5;
const CONCURRENCY = 4;
const TARGET_PER_SECOND = 2_000;
const PARALLEL_TARGET_PER_SECOND = 4_000;
/** Batches stored before the "dense" pass: the same teams, the same weeks, several times the articles. */
const FILLER_BATCHES = quick ? ['d'] : ['d', 'e', 'f', 'g'];
/** Batches stored in parallel after it, parsed on this thread and in the parser thread in turns. */
const THREAD_BATCHES = ['p', 'q', 'r', 's'];

type Teams = Parameters<typeof storeFeedItems>[3]['teams'];

/** Even feeds are league-wide (tagged by the team names in each headline), odd ones belong to one team. */
async function createSources(prisma: PrismaClient, feeds: { url: string }[]): Promise<StoreSource[]> {
  const nba = await prisma.team.findMany({ where: { league: 'NBA' }, select: { id: true }, orderBy: { id: 'asc' } });
  const sources: StoreSource[] = [];
  for (const [index, feed] of feeds.entries()) {
    const league: League | null = index % 2 === 0 ? 'NBA' : null;
    const teamIds = league ? [] : [nba[index % nba.length]?.id ?? 'nba-bos'];
    const row = await prisma.source.create({
      data: {
        url: feed.url,
        name: `Feed ${String(index)}`,
        league,
        status: 'PAUSED',
        teams: { create: teamIds.map((teamId) => ({ teamId })) },
      },
    });
    sources.push({ id: row.id, league, teamIds });
  }
  return sources;
}

interface PassResult {
  articles: number;
  created: number;
  ms: number;
  /** Time spent in parseFeed and in storeFeedItems, summed over feeds. */
  parseMs: number;
  storeMs: number;
  perFeedMs: number[];
  /** CPU used during the pass by this process and by the Postgres backends of the scratch database. */
  nodeCpuMs: number;
  postgresCpuMs: number;
}

/** The Postgres backends serving the scratch database (the pool's connections), by pid. */
async function backendCpu(prisma: PrismaClient): Promise<Map<number, number>> {
  const rows = await prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  return cpuMsByPid(rows.map((row) => row.pid));
}

/** Parses and stores every feed, `concurrency` feeds at a time. */
async function ingest(
  { prisma, sql }: Pick<Database, 'prisma' | 'sql'>,
  feeds: { url: string; xml: Buffer }[],
  sources: StoreSource[],
  teams: Teams,
  concurrency: number,
  { grouping = true, parse = parseHere }: { grouping?: boolean; parse?: FeedParser } = {},
): Promise<PassResult> {
  const perFeedMs: number[] = [];
  let articles = 0;
  let created = 0;
  let parseMs = 0;
  let storeMs = 0;
  let nextFeed = 0;
  const backendsBefore = await backendCpu(prisma);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    for (;;) {
      const index = nextFeed++;
      const feed = feeds[index];
      const source = sources[index];
      if (!feed || !source) return;
      const feedStarted = performance.now();
      const now = new Date();
      const parsed = await parse(feed.xml, { baseUrl: feed.url, fetchedAt: now, contentType: 'application/rss+xml' });
      const parsedAt = performance.now();
      const stored = await storeFeedItems(sql, source, parsed.items, { teams, now, ...(grouping ? {} : { stories: null }) });
      const storedAt = performance.now();
      parseMs += parsedAt - feedStarted;
      storeMs += storedAt - parsedAt;
      perFeedMs.push(storedAt - feedStarted);
      articles += parsed.items.length;
      created += stored.created.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const postgresCpuMs = cpuMsBetween(backendsBefore, await backendCpu(prisma));
  return { articles, created, ms, parseMs, storeMs, perFeedMs, nodeCpuMs: (cpu.user + cpu.system) / 1000, postgresCpuMs };
}

/** Several passes as one: their articles, times and CPU added up. */
function combined(passes: readonly PassResult[]): PassResult {
  const sum = (pick: (pass: PassResult) => number) => passes.reduce((total, pass) => total + pick(pass), 0);
  return {
    articles: sum((pass) => pass.articles),
    created: sum((pass) => pass.created),
    ms: sum((pass) => pass.ms),
    parseMs: sum((pass) => pass.parseMs),
    storeMs: sum((pass) => pass.storeMs),
    perFeedMs: passes.flatMap((pass) => pass.perFeedMs),
    nodeCpuMs: sum((pass) => pass.nodeCpuMs),
    postgresCpuMs: sum((pass) => pass.postgresCpuMs),
  };
}

function parseOnly(feeds: { url: string; xml: Buffer }[]): { items: number; ms: number; sample: FeedItem | undefined } {
  const started = performance.now();
  let items = 0;
  let sample: FeedItem | undefined;
  for (const feed of feeds) {
    const parsed = parseFeed(feed.xml, { baseUrl: feed.url, fetchedAt: new Date(), contentType: 'application/rss+xml' });
    items += parsed.items.length;
    sample ??= parsed.items[0];
  }
  return { items, ms: performance.now() - started, sample };
}

const perSecond = (count: number, ms: number) => round((count / ms) * 1000, 0);

const scratch = await createScratchPostgres('pressbox_bench_ingest');
try {
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 10 });
  try {
    await upsertReferenceTeams(db.prisma);
    const teams = await db.prisma.team.findMany({ select: { id: true, league: true, name: true, shortName: true, aliases: true } });
    const first = Array.from({ length: FEEDS }, (_, index) => generateFeed(index, ITEMS, 'a'));
    const second = Array.from({ length: FEEDS }, (_, index) => generateFeed(index, ITEMS, 'b'));
    const third = Array.from({ length: FEEDS }, (_, index) => generateFeed(index, ITEMS, 'c'));
    const feedBytes = first.reduce((total, feed) => total + feed.xml.length, 0);

    const parseRounds = Array.from({ length: PARSE_ROUNDS }, () => parseOnly(first));
    const parseRates = parseRounds.map((run) => perSecond(run.items, run.ms)).sort((a, b) => a - b);
    const sample = parseRounds[0]?.sample;
    if (!sample?.contentHtml || sample.contentHtml.includes('<script')) throw new Error('the generated feeds did not parse as expected');

    const sourcesA = await createSources(db.prisma, first);
    const sourcesB = await createSources(db.prisma, second);
    const sourcesC = await createSources(db.prisma, third);
    const ungrouped = await ingest(db, third, sourcesC, teams, 1, { grouping: false });
    const fresh = await ingest(db, first, sourcesA, teams, 1);
    const again = await ingest(db, first, sourcesA, teams, 1);
    const parallel = await ingest(db, second, sourcesB, teams, CONCURRENCY);
    const stored = await db.prisma.article.count();
    const tags = await db.prisma.articleTeam.count();
    const grouped = await db.prisma.article.count({ where: { storyId: { not: null } } });
    // More of the same news, so that each new article has several times the candidates to compare with.
    for (const batch of FILLER_BATCHES) {
      const feeds = Array.from({ length: FEEDS }, (_, index) => generateFeed(index, ITEMS, batch));
      await ingest(db, feeds, await createSources(db.prisma, feeds), teams, CONCURRENCY);
    }
    const storedBeforeDense = await db.prisma.article.count();
    const dense = Array.from({ length: FEEDS }, (_, index) => generateFeed(index, ITEMS, 'z'));
    const denseFresh = await ingest(db, dense, await createSources(db.prisma, dense), teams, 1);
    // Parsing in the parser thread, as the fetch worker does, against parsing on this thread: in turns, on the same database.
    const parser = feedParserThread();
    const here: PassResult[] = [];
    const offThread: PassResult[] = [];
    // How long this thread's event loop is held up meanwhile (its requests and timers wait that long), the worst pass of each kind.
    const delays = { here: { p99Ms: 0, maxMs: 0 }, offThread: { p99Ms: 0, maxMs: 0 } };
    try {
      await parser.parse(first[0]?.xml ?? Buffer.from(''), { baseUrl: 'https://warm.example/', fetchedAt: new Date() });
      for (const [index, batch] of THREAD_BATCHES.entries()) {
        const feeds = Array.from({ length: FEEDS }, (_, feed) => generateFeed(feed, ITEMS, batch));
        const sources = await createSources(db.prisma, feeds);
        const onThread = index % 2 === 1;
        const delay = monitorEventLoopDelay({ resolution: 5 });
        delay.enable();
        const pass = await ingest(db, feeds, sources, teams, CONCURRENCY, onThread ? { parse: parser.parse } : {});
        delay.disable();
        const worst = onThread ? delays.offThread : delays.here;
        worst.p99Ms = Math.max(worst.p99Ms, round(delay.percentile(99) / 1e6, 1));
        worst.maxMs = Math.max(worst.maxMs, round(delay.max / 1e6, 1));
        (onThread ? offThread : here).push(pass);
      }
    } finally {
      await parser.close();
    }
    const parallelHere = combined(here);
    const parallelOffThread = combined(offThread);
    if (
      fresh.created !== FEEDS * ITEMS ||
      parallel.created !== FEEDS * ITEMS ||
      denseFresh.created !== FEEDS * ITEMS ||
      parallelHere.created + parallelOffThread.created !== THREAD_BATCHES.length * FEEDS * ITEMS ||
      again.created !== 0 ||
      stored !== 3 * FEEDS * ITEMS
    ) {
      throw new Error(
        `unexpected counts: ${JSON.stringify({ fresh: fresh.created, again: again.created, parallel: parallel.created, stored })}`,
      );
    }

    const endToEnd = perSecond(fresh.articles, fresh.ms);
    const cores = availableParallelism();
    /** CPU per article, and the rate the machine's cores would allow if that CPU were all that limited it. */
    const cpuOf = (pass: PassResult) => {
      const node = pass.nodeCpuMs / pass.articles;
      const postgres = pass.postgresCpuMs / pass.articles;
      return {
        nodeMs: round(node, 3),
        postgresMs: round(postgres, 3),
        ceilingArticlesPerSecond: round((cores * 1000) / (node + postgres), 0),
      };
    };
    await record({
      name: 'ingest',
      title: 'Feed ingestion throughput (parse + normalise + sanitize + upsert)',
      method:
        `${String(FEEDS)} generated RSS 2.0 feeds × ${String(ITEMS)} items (${String(round(feedBytes / FEEDS / 1024, 0))} KiB per feed, about ` +
        `${String(round(feedBytes / FEEDS / ITEMS / 1024, 1))} KiB per item: title, summary, 5-paragraph HTML body with links, images, a script and a tracking pixel), ` +
        'half of them league-wide (teams tagged by the names in each headline). `parseFeed` + `storeFeedItems` into a scratch Postgres 15 ' +
        'database with the reference teams, one feed after another as the fetch worker does ("fresh": every entry new; "unchanged": the same ' +
        `documents again; "parallel": another batch of new feeds, ${String(CONCURRENCY)} at a time), story grouping on; "freshWithoutStories": ` +
        `a first batch of new feeds stored without story grouping, in the same run; "denseFresh": after ${String(FILLER_BATCHES.length)} more batches of ` +
        'the same teams and weeks, a last batch of new feeds one after another, each new article having several times the story candidates; ' +
        `"afterDenseParallel": then ${String(THREAD_BATCHES.length)} more batches of new feeds, ${String(CONCURRENCY)} at a time, parsed on the storing thread ` +
        'and in the parser thread the fetch worker uses (`feedParserThread`) in turns, each figure over its batches together, with the delays of ' +
        "the storing thread's event loop meanwhile (`monitorEventLoopDelay`, the worst pass of each kind). " +
        `Parse-only is the median of ${String(PARSE_ROUNDS)} rounds. ` +
        'CPU per article: this process (`process.cpuUsage`) and the Postgres backends of the scratch database (/proc/<pid>/stat), ' +
        'with the rate all cores would allow if nothing but that CPU limited it (the ceiling on a machine that runs both).' +
        (quick ? ' SMOKE RUN (BENCH_QUICK=1): reduced sizes.' : ''),
      metrics: {
        feeds: FEEDS,
        itemsPerFeed: ITEMS,
        feedBytes: round(feedBytes / FEEDS, 0),
        parseOnlyArticlesPerSecond: parseRates[Math.floor(parseRates.length / 2)] ?? 0,
        endToEnd: {
          freshArticlesPerSecond: endToEnd,
          freshWithoutStoriesArticlesPerSecond: perSecond(ungrouped.articles, ungrouped.ms),
          unchangedArticlesPerSecond: perSecond(again.articles, again.ms),
          denseFreshArticlesPerSecond: perSecond(denseFresh.articles, denseFresh.ms),
          denseArticlesStoredBefore: storedBeforeDense,
          parallelFreshArticlesPerSecond: perSecond(parallel.articles, parallel.ms),
          afterDenseParallelArticlesPerSecond: {
            parsedHere: perSecond(parallelHere.articles, parallelHere.ms),
            parsedOffThread: perSecond(parallelOffThread.articles, parallelOffThread.ms),
          },
          afterDenseParallelEventLoopDelay: { parsedHere: delays.here, parsedOffThread: delays.offThread },
          freshPerFeedMs: percentiles(fresh.perFeedMs),
          freshParseShare: round(fresh.parseMs / (fresh.parseMs + fresh.storeMs)),
          freshStoreArticlesPerSecond: perSecond(fresh.articles, fresh.storeMs),
          unchangedPerFeedMs: percentiles(again.perFeedMs),
        },
        cpuPerArticle: {
          fresh: cpuOf(fresh),
          parallel: cpuOf(parallel),
          denseFresh: cpuOf(denseFresh),
          afterDenseParallelParsedHere: cpuOf(parallelHere),
          afterDenseParallelParsedOffThread: cpuOf(parallelOffThread),
          cores,
        },
        articlesStored: stored,
        articlesInStories: grouped,
        teamTags: tags,
      },
      targets: [
        {
          description: `end to end (parse + store, fresh entries) at least ${String(TARGET_PER_SECOND)} articles/s`,
          met: endToEnd >= TARGET_PER_SECOND,
        },
        {
          description: `in parallel (${String(CONCURRENCY)} feeds at a time) at least ${String(PARALLEL_TARGET_PER_SECOND)} articles/s`,
          met: perSecond(parallel.articles, parallel.ms) >= PARALLEL_TARGET_PER_SECOND,
        },
      ],
    });
  } finally {
    await db.close();
  }
} finally {
  await scratch.drop();
}
