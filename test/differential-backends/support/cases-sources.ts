import {
  allSources,
  allTeamRows,
  createSource,
  deleteSource,
  dueSources,
  findSource,
  findTeam,
  followerCount,
  listSources,
  listTeams,
  loadSourceForFetch,
  moveSource,
  recentFetchAttempts,
  recordFetchAttempt,
  recordSourceFetch,
  requireSource,
  teamSourceHealth,
  teamsOfLeague,
  updateSource,
  SourceStatus,
  type ListTeamsQuery,
} from '@pressbox/db';
import { attempt } from './normalise.ts';
import { paginate, type RepositoryCase } from './case.ts';
import { leagues, linkedTeamIds, sourceLeague, sourceUrl, teamAt, touchedTeamIds, type CaseContext } from './world.ts';

const missingId = '00000000-0000-7000-8000-000000000000';
const minute = 60_000;

function createdIds(ctx: CaseContext): string[] {
  return ctx.state.sources.filter((id): id is string => id !== undefined);
}

async function eachSource(ctx: CaseContext, read: (id: string) => Promise<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const id of [...createdIds(ctx), missingId]) out.push(await attempt(() => read(id)));
  return out;
}

async function createWorldSources(ctx: CaseContext): Promise<unknown> {
  const out: unknown[] = [];
  for (const [index, spec] of ctx.world.sources.entries()) {
    const fields = {
      url: sourceUrl(ctx, index),
      name: `${spec.name} ${ctx.tag} ${String(index)}`,
      league: sourceLeague(spec),
      teamIds: linkedTeamIds(ctx, spec),
    };
    const created = await attempt(async () => {
      // Twice the same team: a set, not a list.
      const source = await createSource(ctx.prisma, { ...fields, teamIds: [...fields.teamIds, ...fields.teamIds] });
      ctx.state.sources[index] = source.id;
      return source;
    });
    out.push(created);
  }
  out.push(await attempt(() => createSource(ctx.prisma, { url: sourceUrl(ctx, 0), name: 'again', league: 'NBA', teamIds: [] })));
  out.push(await attempt(() => createSource(ctx.prisma, { url: `${sourceUrl(ctx, 0)}/x`, name: 'x', teamIds: ['no-such-team'] })));
  return out;
}

/** Every status filter, every team filter (none, the world's teams, an unknown one), two rows a page. */
async function sourceListings(ctx: CaseContext): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const status of [undefined, ...Object.values(SourceStatus)]) {
    for (const teamId of [undefined, ...touchedTeamIds(ctx).slice(0, 3), 'no-such-team']) {
      const pages = await attempt(() => paginate((cursor) => listSources(ctx.prisma, { status, teamId, limit: 2, cursor })));
      out[`${status ?? '-'}/${teamId ?? '-'}`] = pages;
    }
  }
  out.badCursor = await attempt(() => listSources(ctx.prisma, { limit: 2, cursor: 'WyJ4Il0' }));
  return out;
}

/** Leagues, searches in any case, followed and not followed, three teams a page. */
async function teamListings(ctx: CaseContext): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const userId = `${ctx.tag}-user-0`;
  const queries: Omit<ListTeamsQuery, 'limit' | 'cursor'>[] = [
    ...[undefined, ...leagues].map((league) => ({ league })),
    ...['bos', 'NEW', 'la', ' York ', 'ÉL', '', 'nyk'].map((q) => ({ q })),
    { league: 'NBA', q: 'an' },
    { followedBy: { userId, following: true } },
    { league: 'NHL', followedBy: { userId, following: false } },
  ];
  for (const [index, query] of queries.entries()) {
    out[String(index)] = await attempt(() => paginate((cursor) => listTeams(ctx.prisma, { ...query, limit: index < 6 ? 7 : 3, cursor })));
  }
  return out;
}

async function recordFetches(ctx: CaseContext): Promise<unknown> {
  for (const [index, spec] of ctx.world.sources.entries()) {
    const id = ctx.state.sources[index];
    if (id === undefined) continue;
    const at = new Date(ctx.now.getTime() + index * minute);
    await recordSourceFetch(ctx.prisma, id, {
      lastFetchedAt: at,
      ...(spec.outcome === 'FAILED' ? { consecutiveErrors: { increment: 1 }, lastError: 'Feed answered 503' } : { lastSuccessAt: at }),
      status: spec.status,
      nextFetchAt: new Date(at.getTime() + (index + 1) * minute),
      kind: spec.kind,
      etag: `"${ctx.tag}-${String(index)}"`,
      ttlMinutes: index === 0 ? null : 30,
    });
    for (const step of [0, 1]) {
      await recordFetchAttempt(ctx.prisma, id, {
        startedAt: new Date(at.getTime() - step * minute),
        durationMs: 10 * step,
        outcome: step === 0 ? spec.outcome : 'STORED',
        httpStatus: spec.outcome === 'FAILED' && step === 0 ? null : 200,
        bytes: step === 0 ? null : 1_024,
        created: step,
        updated: 0,
        unchanged: 2,
        linked: 0,
        newsByTeam: Object.fromEntries(linkedTeamIds(ctx, spec).map((teamId, n) => [teamId, n + step])),
        error: spec.outcome === 'FAILED' && step === 0 ? 'Feed answered 503' : null,
        jobId: step === 0 ? null : `fetch.${ctx.tag}`,
        nextFetchAt: step === 0 ? null : at,
      });
    }
  }
  await recordSourceFetch(ctx.prisma, missingId, { lastFetchedAt: ctx.now });
  return eachSource(ctx, (id) => loadSourceForFetch(ctx.prisma, id));
}

async function changeSources(ctx: CaseContext): Promise<unknown> {
  const out: unknown[] = [];
  for (const [index, spec] of ctx.world.sources.entries()) {
    const id = ctx.state.sources[index] ?? missingId;
    const { change } = spec;
    out.push(
      await attempt(() =>
        updateSource(ctx.prisma, id, {
          name: change.name === undefined ? undefined : `${change.name} ${ctx.tag} ${String(index)} renamed`,
          status: change.status,
          teamIds: change.teams?.map((at) => teamAt(ctx, spec.league, at).id),
          ...(change.dropLeague ? { league: null } : {}),
        }),
      ),
    );
  }
  return out;
}

export const sourceCases: Record<string, RepositoryCase> = {
  allTeamRows: { phase: 1, run: (ctx) => allTeamRows(ctx.prisma) },
  createSource: { phase: 1, run: createWorldSources },
  findSource: { phase: 3, run: (ctx) => eachSource(ctx, (id) => findSource(ctx.prisma, id)) },
  requireSource: { phase: 3, run: (ctx) => eachSource(ctx, (id) => requireSource(ctx.prisma, id)) },
  listSources: { phase: 3, run: sourceListings },
  allSources: { phase: 3, run: (ctx) => allSources(ctx.prisma) },
  listTeams: { phase: 3, run: teamListings },
  findTeam: { phase: 3, run: async (ctx) => Promise.all([...touchedTeamIds(ctx), 'no-such-team'].map((id) => findTeam(ctx.prisma, id))) },
  followerCount: { phase: 3, run: async (ctx) => Promise.all(ctx.teams.slice(0, 45).map((team) => followerCount(ctx.prisma, team.id))) },
  teamsOfLeague: { phase: 3, run: async (ctx) => Promise.all(leagues.map((league) => teamsOfLeague(ctx.prisma, league))) },
  teamSourceHealth: {
    phase: 3,
    run: async (ctx) => Promise.all([...touchedTeamIds(ctx), 'nba-bos'].map((id) => teamSourceHealth(ctx.prisma, { id, league: 'NBA' }))),
  },
  recordSourceFetch: { phase: 2, run: recordFetches },
  loadSourceForFetch: { phase: 3, run: (ctx) => eachSource(ctx, (id) => loadSourceForFetch(ctx.prisma, id)) },
  recordFetchAttempt: {
    phase: 3,
    run: async (ctx) => attempt(() => recordFetchAttempt(ctx.prisma, missingId, { ...emptyAttempt, startedAt: ctx.now })),
  },
  recentFetchAttempts: {
    phase: 3,
    run: async (ctx) => [
      ...(await eachSource(ctx, (id) => recentFetchAttempts(ctx.prisma, id, 3))),
      ...(await eachSource(ctx, (id) => recentFetchAttempts(ctx.prisma, id, 1))),
    ],
  },
  dueSources: {
    phase: 3,
    run: async (ctx) => {
      const world = new Set(createdIds(ctx));
      const due = await dueSources(ctx.prisma, new Date(ctx.now.getTime() + 10 * minute), 500);
      return [due.filter((row) => world.has(row.id)), await dueSources(ctx.prisma, new Date(0), 5)];
    },
  },
  updateSource: { phase: 4, run: changeSources },
  moveSource: {
    phase: 4,
    run: async (ctx) => {
      const [first, second] = ctx.state.sources;
      if (first === undefined) return [];
      return [
        await moveSource(ctx.prisma, first, sourceUrl(ctx, 0), `${sourceUrl(ctx, 0)}/moved`),
        await moveSource(ctx.prisma, first, sourceUrl(ctx, 0), `${sourceUrl(ctx, 0)}/again`),
        second === undefined ? 'no second source' : await moveSource(ctx.prisma, second, sourceUrl(ctx, 1), `${sourceUrl(ctx, 0)}/moved`),
        await findSource(ctx.prisma, first),
      ];
    },
  },
  deleteSource: {
    phase: 5,
    run: async (ctx) => {
      const out: unknown[] = [await attempt(() => deleteSource(ctx.prisma, missingId))];
      const last = createdIds(ctx).at(-1);
      if (last !== undefined) out.push(await deleteSource(ctx.prisma, last), await findSource(ctx.prisma, last));
      out.push(await ctx.prisma.article.count({ where: { sourceId: { in: createdIds(ctx) } } }));
      return out;
    },
  },
};

const emptyAttempt = {
  durationMs: 0,
  outcome: 'SKIPPED',
  httpStatus: null,
  bytes: null,
  created: 0,
  updated: 0,
  unchanged: 0,
  linked: 0,
  newsByTeam: {},
  error: null,
  jobId: null,
  nextFetchAt: null,
} as const;
