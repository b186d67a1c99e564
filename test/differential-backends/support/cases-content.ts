import {
  findNewsItems,
  firstOfStoryIn,
  fingerprintOf,
  latestSummary,
  latestSummaryStamp,
  listNews,
  newsListStatement,
  newsPageOf,
  type NewsStatementRow,
  loadSummaryCandidates,
  Prisma,
  saveSummary,
  startStories,
  storeFeedEntries,
  storyCandidateHeads,
  storyTeams,
  storyTexts,
  summarizedLengths,
  allSummarizedLengths,
  summaryOfInput,
  findSummary,
  teamNewsPerDay,
  teamsOf,
  teamTopSources,
  SummaryLength,
  type NewsQuery,
  type NewsSort,
} from '@pressbox/db';
import { announceStoredNews, storyMatcher } from '@pressbox/jobs';
import { attempt } from './normalise.ts';
import { paginate, type RepositoryCase } from './case.ts';
import { anyTeam, entryTags, feedEntry, timezones, touchedTeamIds, type CaseContext } from './world.ts';

const missingId = '00000000-0000-7000-8000-000000000000';
const day = 86_400_000;

/** Stores every source's entries (stories grouped, events announced in the same transaction), then their edits. */
async function storeWorld(ctx: CaseContext): Promise<unknown> {
  const outcomes: unknown[] = [];
  const stories = storyMatcher();
  for (const edition of [0, 1] as const) {
    for (const [source, spec] of ctx.world.sources.entries()) {
      const id = ctx.state.sources[source];
      if (id === undefined) continue;
      const entries = spec.entries.flatMap((entry, index) =>
        edition === 0 || entry.edited ? [feedEntry(ctx, source, index, edition)] : [],
      );
      const tags = new Map(spec.entries.map((_entry, index) => [feedEntry(ctx, source, index, 0).itemKey, entryTags(ctx, source, index)]));
      outcomes.push(
        await attempt(() =>
          storeFeedEntries(ctx.sql, id, entries, (entry) => tags.get(entry.itemKey) ?? [], ctx.now, {
            stories,
            announce: announceStoredNews,
          }),
        ),
      );
    }
  }
  for (const [source, id] of ctx.state.sources.entries()) {
    if (id === undefined) continue;
    const links = await ctx.prisma.articleSource.findMany({ where: { sourceId: id }, select: { itemKey: true, articleId: true } });
    for (const link of links) ctx.state.articles.set(`${String(source)}.${link.itemKey.split('-').at(-1) ?? ''}`, link.articleId);
  }
  return outcomes;
}

function articleIds(ctx: CaseContext): string[] {
  return [...ctx.state.articles.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, id]) => id);
}

/** The listings a team page, a search and a user's feed make, every sort, with and without bounds. */
async function newsListings(ctx: CaseContext): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const teams = touchedTeamIds(ctx);
  const bounds = [{}, { since: new Date(ctx.now.getTime() - 7 * day) }, { until: new Date(ctx.now.getTime() - 3 * day) }];
  const scopes: NewsQuery['scope'][] = [...teams.slice(0, 3).map((teamId) => ({ teamId })), { teamIds: teams }, { teamIds: [] }];
  for (const [index, scope] of scopes.entries()) {
    for (const sort of ['newest', 'oldest', 'relevance'] satisfies NewsSort[]) {
      for (const [bound, range] of bounds.entries()) {
        const q = sort === 'relevance' ? 'injury OR trade' : bound === 1 ? '"late winner" -coach' : undefined;
        out[`${String(index)}/${sort}/${String(bound)}`] = await attempt(() =>
          paginate((cursor) => listNews(ctx.sql, { scope, sort, q, limit: 2, cursor, ...range })),
        );
      }
    }
    const sourceId = ctx.state.sources.find((id) => id !== undefined);
    if (sourceId) out[`${String(index)}/source`] = await attempt(() => listNews(ctx.sql, { scope, sort: 'newest', sourceId, limit: 50 }));
  }
  out.relevanceWithoutQuery = await attempt(() => listNews(ctx.sql, { scope: { teamIds: teams }, sort: 'relevance', limit: 5 }));
  out.badSource = await attempt(() => listNews(ctx.sql, { scope: { teamIds: teams }, sort: 'newest', sourceId: 'nope', limit: 5 }));
  out.badCursor = await attempt(() => listNews(ctx.sql, { scope: { teamIds: teams }, sort: 'newest', cursor: 'bad', limit: 5 }));
  return out;
}

/**
 * The news statement sent as text and values (as a client without Prisma sends it) and its rows
 * made into pages: the same pages `listNews` answers.
 */
async function statementPages(ctx: CaseContext): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const teamId of touchedTeamIds(ctx)) {
    for (const sort of ['newest', 'oldest'] as const) {
      const query = { scope: { teamId }, sort, limit: 3 };
      const statement = newsListStatement(query);
      if (statement === undefined) throw new Error('a team scope always needs the statement');
      const rows = await ctx.prisma.$queryRawUnsafe<NewsStatementRow[]>(statement.text, ...statement.values);
      out[`${teamId}/${sort}`] = [newsPageOf(rows, query), await listNews(ctx.sql, query)];
    }
  }
  out.noTeams = newsListStatement({ scope: { teamIds: [] }, sort: 'newest', limit: 3 }) === undefined;
  return out;
}

function summaryFields(ctx: CaseContext, index: number, minutesAgo: number) {
  return {
    articleIds: articleIds(ctx).slice(0, index + 1),
    provider: 'fake',
    model: `model-${String(index)}`,
    text: `Summary ${String(index)} of ${ctx.tag}`,
    bullets: [{ text: `bullet ${String(index)}`, citations: articleIds(ctx).slice(0, 1) }],
    durationMs: 100 + index,
    attempts: 1,
    promptTokens: index % 2 === 0 ? null : 40,
    completionTokens: index % 2 === 0 ? null : 20,
    generatedAt: new Date(ctx.now.getTime() - minutesAgo * 60_000 - ctx.ordinal),
  };
}

/** Every team and length the world summarises, and one it does not. */
function summaryKeys(ctx: CaseContext): { teamId: string; length: SummaryLength }[] {
  const teamIds = [...new Set(ctx.world.summaries.map((summary) => anyTeam(ctx, summary.team).id)), anyTeam(ctx, 77).id];
  return teamIds.flatMap((teamId) => Object.values(SummaryLength).map((length) => ({ teamId, length })));
}

async function perTeamAndZone(ctx: CaseContext, read: (teamId: string, timezone: string) => Promise<unknown>): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const teamId of touchedTeamIds(ctx))
    for (const zone of timezones) out[`${teamId}/${zone}`] = await attempt(() => read(teamId, zone));
  return out;
}

export const contentCases: Record<string, RepositoryCase> = {
  storeFeedEntries: {
    phase: 2,
    run: async (ctx) => ({
      stored: await storeWorld(ctx),
      empty: await attempt(() => storeFeedEntries(ctx.sql, ctx.state.sources.find(Boolean) ?? missingId, [], () => [], ctx.now)),
    }),
  },
  fingerprintOf: {
    phase: 3,
    run: (ctx) =>
      Promise.resolve(
        ctx.world.sources.flatMap((spec, source) => spec.entries.map((_entry, index) => fingerprintOf(feedEntry(ctx, source, index, 0)))),
      ),
  },
  storyCandidateHeads: {
    phase: 3,
    run: async (ctx) => {
      const windows = touchedTeamIds(ctx).map((teamId) => ({ teamId, from: new Date(ctx.now.getTime() - 30 * day), to: ctx.now }));
      const out: unknown[] = [await attempt(() => storyCandidateHeads(ctx.prisma, missingId, []))];
      for (const id of ctx.state.sources) {
        if (id === undefined) continue;
        // The lookup promises a set: matchers get candidates in no particular order.
        const found = await storyCandidateHeads(ctx.prisma, id, windows);
        out.push(found.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || (a.fingerprint < b.fingerprint ? -1 : 1)));
      }
      return out;
    },
  },
  storyTexts: {
    phase: 3,
    run: async (ctx) => {
      const texts = await storyTexts(ctx.prisma, [...articleIds(ctx), missingId]);
      return [
        [...texts.values()].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.summary < b.summary ? -1 : 1)),
        texts.has(missingId),
        (await storyTexts(ctx.prisma, [])).size,
      ];
    },
  },
  storyTeams: {
    phase: 3,
    run: async (ctx) => {
      const stories = await ctx.prisma.article.findMany({ where: { id: { in: articleIds(ctx) } }, select: { storyId: true } });
      const storyIds = [...new Set(stories.flatMap((row) => row.storyId ?? []))];
      return [
        await storyTeams(ctx.prisma, storyIds, []),
        await storyTeams(ctx.prisma, storyIds, articleIds(ctx).slice(0, 2)),
        await storyTeams(ctx.prisma, [], []),
      ];
    },
  },
  firstOfStoryIn: {
    phase: 3,
    run: async (ctx) => {
      const teams = touchedTeamIds(ctx);
      if (teams.length === 0) return [];
      return ctx.prisma.$queryRaw(Prisma.sql`
        SELECT t."teamId", count(*)::int AS "first"
        FROM "ArticleTeam" t JOIN "Article" a ON a."id" = t."articleId"
        WHERE t."teamId" IN (${Prisma.join(teams)}) AND ${firstOfStoryIn(Prisma.sql`et."teamId" = t."teamId"`)}
        GROUP BY t."teamId" ORDER BY t."teamId"`);
    },
  },
  listNews: { phase: 3, run: newsListings },
  newsListStatement: { phase: 3, run: statementPages },
  newsPageOf: { phase: 3, run: statementPages },
  findNewsItems: {
    phase: 3,
    run: async (ctx) => [await findNewsItems(ctx.prisma, [...articleIds(ctx), missingId]), await findNewsItems(ctx.prisma, [])],
  },
  teamsOf: { phase: 3, run: async (ctx) => [await teamsOf(ctx.prisma, articleIds(ctx)), await teamsOf(ctx.prisma, [])] },
  saveSummary: {
    phase: 2,
    run: async (ctx) => {
      const out: unknown[] = [];
      for (const [index, spec] of ctx.world.summaries.entries()) {
        const key = { teamId: anyTeam(ctx, spec.team).id, length: spec.length, inputVersion: spec.inputVersion };
        for (const replace of [false, true]) {
          const saved = await saveSummary(ctx.prisma, key, summaryFields(ctx, index + (replace ? 10 : 0), spec.minutesAgo), replace);
          ctx.state.summaries.push(saved.id);
          out.push(saved);
        }
      }
      return out;
    },
  },
  latestSummary: {
    phase: 3,
    run: async (ctx) => Promise.all(summaryKeys(ctx).map((key) => latestSummary(ctx.prisma, key.teamId, key.length))),
  },
  summaryOfInput: {
    phase: 3,
    run: async (ctx) =>
      Promise.all(
        summaryKeys(ctx).flatMap((key) => ['v1', 'v2', 'v3'].map((version) => summaryOfInput(ctx.prisma, key.teamId, key.length, version))),
      ),
  },
  findSummary: { phase: 3, run: async (ctx) => Promise.all([...ctx.state.summaries, missingId].map((id) => findSummary(ctx.prisma, id))) },
  summarizedLengths: {
    phase: 3,
    run: async (ctx) => {
      const teamIds = [...new Set(summaryKeys(ctx).map((key) => key.teamId))];
      return [await summarizedLengths(ctx.prisma, teamIds), await summarizedLengths(ctx.prisma, [])];
    },
  },
  allSummarizedLengths: { phase: 3, run: (ctx) => allSummarizedLengths(ctx.prisma) },
  loadSummaryCandidates: {
    phase: 3,
    run: async (ctx) => Promise.all(touchedTeamIds(ctx).map((teamId) => loadSummaryCandidates(ctx.prisma, teamId))),
  },
  latestSummaryStamp: {
    phase: 3,
    run: async (ctx) => Promise.all(summaryKeys(ctx).map((key) => latestSummaryStamp(ctx.prisma, key.teamId, key.length))),
  },
  teamNewsPerDay: { phase: 3, run: (ctx) => perTeamAndZone(ctx, (teamId, zone) => teamNewsPerDay(ctx.prisma, teamId, zone, ctx.now)) },
  teamTopSources: { phase: 3, run: (ctx) => perTeamAndZone(ctx, (teamId, zone) => teamTopSources(ctx.prisma, teamId, zone, ctx.now)) },
  startStories: {
    phase: 4,
    run: async (ctx) => {
      const ids = articleIds(ctx).slice(0, 2);
      await startStories(ctx.prisma, ids);
      await startStories(ctx.prisma, []);
      return ctx.prisma.article.findMany({ where: { id: { in: ids } }, select: { url: true, storyId: true }, orderBy: { url: 'asc' } });
    },
  },
};
