import {
  createSource,
  listNews,
  openDatabase,
  publicMessageOf,
  upsertReferenceTeams,
  type Database,
  type NewsSort,
  type PrismaClient,
} from '@pressbox/db';
import { announceStoredNews, createFeedFetcher, refreshSource } from '@pressbox/jobs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { createScratchPostgres, databaseAvailable, pgliteFromSnapshot, type ScratchPostgres } from '../support/databases.ts';
import { renderEntries, renderFeed, scenarioArbitrary, type GeneratedSource } from './support/generated-feeds.ts';

const seed = Number(process.env.PRESSBOX_DIFF_SEED ?? Date.now() % 2_147_483_647);
const runs = Number(process.env.PRESSBOX_DIFF_RUNS ?? 6);

/** Everything one database says about a scenario, with generated ids replaced by stable names. */
type Observation = Record<string, unknown>;

describe.skipIf(!databaseAvailable('postgres'))('the ingestion pipeline on PGlite and on Postgres', () => {
  let server: FeedServer;
  let pglite: Database;
  let postgres: Database;
  let scratch: ScratchPostgres;
  const fetcher = createFeedFetcher({ allowPrivateNetworks: true });
  let scenario = 0;

  beforeAll(async () => {
    server = await startFeedServer();
    pglite = await openDatabase({ pglite: await pgliteFromSnapshot() });
    scratch = await createScratchPostgres('pb_crash_diff');
    postgres = await openDatabase({ databaseUrl: scratch.url, poolMax: 4 });
    await upsertReferenceTeams(postgres.prisma);
    await upsertReferenceTeams(pglite.prisma);
  }, 60_000);

  afterAll(async () => {
    await pglite.close();
    await postgres.close();
    await scratch.drop();
    await server.close();
  });

  /** Serves every generated feed under a path of its own and returns the paths. */
  async function publish(sources: readonly GeneratedSource[], tag: string): Promise<string[]> {
    const paths: string[] = [];
    for (const [index, source] of sources.entries()) {
      const teams = await leagueTeams(postgres.prisma, source.league);
      const path = `/diff/${tag}/feed-${String(index)}`;
      const document = renderFeed(
        source.format,
        `${tag} feed ${String(index)}`,
        renderEntries(
          source,
          teams.map((team) => team.name),
          `${tag}-${String(index)}`,
        ),
      );
      server.route(
        path,
        source.broken ? { kind: 'status', status: 500 } : { kind: 'document', body: document.body, contentType: document.contentType },
      );
      paths.push(path);
    }
    return paths;
  }

  async function observe(db: Database, sources: readonly GeneratedSource[], paths: readonly string[]): Promise<Observation> {
    const { prisma, sql } = db;
    const observation: Observation = {};
    const sourceIds: string[] = [];
    for (const [index, source] of sources.entries()) {
      const teams = await leagueTeams(prisma, source.league);
      const teamIds =
        source.link === 'teams' || source.link === 'both' ? source.teams.map((position) => teams[position % teams.length]?.id ?? '') : [];
      const league = source.link === 'league' || source.link === 'both' ? source.league : null;
      const url = server.url(paths[index] ?? '');
      try {
        const created = await createSource(prisma, { url, name: `feed ${String(index)}`, league, teamIds });
        sourceIds.push(created.id);
        const outcome = await refreshSource(db, created.id, { fetcher, announce: announceStoredNews });
        const row = await prisma.source.findUniqueOrThrow({ where: { id: created.id } });
        observation[`source ${String(index)}`] = {
          outcome: outcome.status,
          counts:
            outcome.status === 'stored' ? [outcome.created.length, outcome.updated.length, outcome.linked.length, outcome.unchanged] : [],
          status: row.status,
          kind: row.kind,
          errors: row.consecutiveErrors,
          lastError: row.lastError,
        };
      } catch (error) {
        observation[`source ${String(index)}`] = { refused: publicMessageOf(error, 'unexpected') };
      }
    }
    const articles = await prisma.article.findMany({
      where: { sourceId: { in: sourceIds } },
      select: { title: true, url: true, summary: true, publishedAt: true, teams: { select: { teamId: true, matchedBy: true } } },
    });
    observation.articles = articles
      .map((article) => ({
        ...article,
        publishedAt: article.publishedAt.toISOString(),
        teams: article.teams.map((tag) => `${tag.teamId}:${tag.matchedBy}`).sort(),
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
    const events = await prisma.event.findMany({ where: { type: { in: ['news.created', 'dashboard.updated'] } }, orderBy: { id: 'asc' } });
    const titles = new Set(articles.map((article) => article.title));
    observation.events = events
      .map((event) => `${event.type} ${event.teamId ?? ''} ${titleOf(event.data)}`)
      .filter((line) => line.startsWith('dashboard') || [...titles].some((title) => line.endsWith(title)))
      .sort();
    const teamIds = [...new Set(articles.flatMap((article) => article.teams.map((tag) => tag.teamId)))].sort();
    for (const teamId of teamIds) {
      for (const sort of ['newest', 'oldest'] satisfies NewsSort[]) {
        const page = await listNews(sql, { scope: { teamId }, sort, limit: 100 });
        observation[`news ${teamId} ${sort}`] = page.items.filter((item) => titles.has(item.title)).map((item) => item.title);
      }
      const search = await listNews(sql, { scope: { teamId }, q: 'injury', sort: 'relevance', limit: 100 });
      observation[`search ${teamId}`] = search.items
        .filter((item) => titles.has(item.title))
        .map((item) => item.title)
        .sort();
    }
    return observation;
  }

  it('stores, tags, announces and lists generated feeds alike on both databases', async () => {
    console.info(`backend differential seed ${String(seed)} (PRESSBOX_DIFF_SEED=${String(seed)} repeats it)`);
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (sources) => {
        const tag = `s${String(++scenario)}`;
        const paths = await publish(sources, tag);
        const [onPglite, onPostgres] = [await observe(pglite, sources, paths), await observe(postgres, sources, paths)];
        expect(onPglite).toEqual(onPostgres);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  }, 600_000);
});

async function leagueTeams(prisma: PrismaClient, league: string): Promise<{ id: string; name: string }[]> {
  return prisma.team.findMany({ where: { league: league as never }, orderBy: { id: 'asc' }, select: { id: true, name: true }, take: 10 });
}

function titleOf(data: unknown): string {
  const title = (data as { title?: unknown } | null)?.title;
  return typeof title === 'string' ? title : '';
}
