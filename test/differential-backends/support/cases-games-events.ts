import {
  currentSeasonOf,
  eventRowsAfter,
  insertEventRow,
  insertEventRows,
  lastEventIdBefore,
  latestEventId,
  listTeamGames,
  loadSeasonGames,
  newsAnnouncedUpTo,
  pruneEvents,
  readEventRows,
  storeWithEvents,
  teamsOfLeaguesOf,
  teamLeagues,
  upsertGames,
  GameStatus,
  type GameWrite,
} from '@pressbox/db';
import { attempt } from './normalise.ts';
import { paginate, type RepositoryCase } from './case.ts';
import { anyTeam, teamAt, touchedTeamIds, type CaseContext } from './world.ts';

function gameWrites(ctx: CaseContext, later: boolean): GameWrite[] {
  return ctx.world.games.map((game, index) => ({
    externalId: `${ctx.tag}-game-${String(index)}`,
    league: game.league,
    season: game.season,
    startsAt: new Date(ctx.now.getTime() + game.hoursFromNow * 3_600_000 + ctx.ordinal * 100 + index),
    homeTeamId: teamAt(ctx, game.league, game.home).id,
    awayTeamId: teamAt(ctx, game.league, game.away).id,
    status: later && game.later !== null ? game.later : game.status,
    homeScore: game.homeScore,
    awayScore: game.awayScore,
  }));
}

function gameTeams(ctx: CaseContext): { id: string; league: (typeof ctx.teams)[number]['league'] }[] {
  const ids = new Set(ctx.world.games.flatMap((game) => [teamAt(ctx, game.league, game.home).id, teamAt(ctx, game.league, game.away).id]));
  return ctx.teams.filter((team) => ids.has(team.id) || team.id === 'nhl-bos');
}

async function teamGames(ctx: CaseContext): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const team of gameTeams(ctx)) {
    for (const season of [undefined, '2025', '2025-26']) {
      for (const status of [undefined, ...Object.values(GameStatus)]) {
        out[`${team.id}/${season ?? '-'}/${status ?? '-'}`] = await attempt(() =>
          paginate((cursor) => listTeamGames(ctx.prisma, { teamId: team.id, season, status, limit: 2, cursor })),
        );
      }
    }
  }
  out.unknownTeam = await attempt(() => listTeamGames(ctx.prisma, { teamId: 'no-such-team', limit: 2 }));
  out.badCursor = await attempt(() => listTeamGames(ctx.prisma, { teamId: 'nba-bos', limit: 2, cursor: 'WyJ4IiwieSJd' }));
  return out;
}

function eventTeam(ctx: CaseContext, team: number | null): string | null {
  return team === null ? null : anyTeam(ctx, team).id;
}

async function eventReads(ctx: CaseContext): Promise<unknown> {
  const base = ctx.state.eventBase;
  const teamIds = [...new Set([...touchedTeamIds(ctx), ...ctx.world.events.flatMap((event) => eventTeam(ctx, event.team) ?? [])])];
  return {
    all: await readEventRows(ctx.prisma, { teamIds, afterId: base, limit: 500 }),
    typed: await readEventRows(ctx.prisma, { teamIds, afterId: base, types: ['news.created', 'summary.updated'], limit: 500 }),
    noTypes: await readEventRows(ctx.prisma, { teamIds, afterId: base, types: [], limit: 5 }),
    noTeams: await readEventRows(ctx.prisma, { teamIds: [], afterId: base, limit: 5 }),
    short: await readEventRows(ctx.prisma, { teamIds, afterId: base + 1n, limit: 2 }),
  };
}

export const gameAndEventCases: Record<string, RepositoryCase> = {
  insertEventRow: {
    phase: 1,
    run: async (ctx) => {
      // The world's first event: every event id of the world is compared relative to the one before it.
      const first = await insertEventRow(ctx.prisma, {
        type: 'world.started',
        teamId: null,
        data: { tag: ctx.tag, at: ctx.now.toISOString() },
      });
      ctx.state.eventBase = first.id - 1n;
      const team = await insertEventRow(ctx.prisma, {
        type: 'news.created',
        teamId: anyTeam(ctx, 0).id,
        data: { id: 'x', n: [1, 2.5, null], s: 'é"\\' },
      });
      // Text jsonb cannot hold: both must refuse it the same way.
      const nul = await attempt(() => insertEventRow(ctx.prisma, { type: 'x', teamId: null, data: { s: 'a\u0000b' } }));
      const surrogate = await attempt(() => insertEventRow(ctx.prisma, { type: 'x', teamId: null, data: { s: '\ud800' } }));
      return [first, team, nul, surrogate];
    },
  },
  insertEventRows: {
    phase: 1,
    run: async (ctx) => [
      await ctx.prisma.$transaction((tx) =>
        insertEventRows(
          tx,
          ctx.world.events.map((event, index) => ({
            type: event.type,
            teamId: eventTeam(ctx, event.team),
            data: { index, tag: ctx.tag, value: event.data },
          })),
        ),
      ),
      await ctx.prisma.$transaction((tx) => insertEventRows(tx, [])),
    ],
  },
  eventRowsAfter: {
    phase: 3,
    run: async (ctx) => [
      await eventRowsAfter(ctx.prisma, ctx.state.eventBase, 500),
      await eventRowsAfter(ctx.prisma, ctx.state.eventBase + 2n, 1),
    ],
  },
  lastEventIdBefore: {
    phase: 3,
    run: async (ctx) => {
      const last = await lastEventIdBefore(ctx.prisma, new Date(Date.now() + 60_000));
      return [last === (await latestEventId(ctx.prisma)), (await lastEventIdBefore(ctx.prisma, new Date(0))) === 0n];
    },
  },
  latestEventId: {
    phase: 3,
    run: async (ctx) => Promise.all([undefined, ...touchedTeamIds(ctx), 'no-such-team'].map((teamId) => latestEventId(ctx.prisma, teamId))),
  },
  readEventRows: { phase: 3, run: eventReads },
  newsAnnouncedUpTo: {
    phase: 3,
    run: async (ctx) => {
      const upTo = (await latestEventId(ctx.prisma)) ?? 0n;
      const teams = touchedTeamIds(ctx);
      return [
        await newsAnnouncedUpTo(ctx.prisma, teams, upTo, 100),
        await newsAnnouncedUpTo(ctx.prisma, teams, ctx.state.eventBase + 2n, 100),
        await newsAnnouncedUpTo(ctx.prisma, teams, upTo, 1),
        await newsAnnouncedUpTo(ctx.prisma, [], upTo, 10),
      ];
    },
  },
  storeWithEvents: {
    phase: 4,
    run: async (ctx) => {
      const teamId = anyTeam(ctx, 1).id;
      const before = await latestEventId(ctx.prisma);
      const committed = await storeWithEvents(
        ctx.prisma,
        (tx) => tx.team.findUnique({ where: { id: teamId }, select: { id: true, league: true } }),
        (_tx, team) => Promise.resolve([{ type: 'dashboard.updated', teamId: team?.id ?? null, data: { teamId, reason: ctx.tag } }]),
      );
      // A store that fails writes no event: the events roll back with it.
      const failed = await attempt(() =>
        storeWithEvents(
          ctx.prisma,
          () => Promise.reject(new Error('the store failed')),
          () => Promise.resolve([{ type: 'dashboard.updated', teamId, data: { teamId, reason: 'never' } }]),
        ),
      );
      const noEvents = await storeWithEvents(
        ctx.prisma,
        () => Promise.resolve(0),
        () => Promise.resolve([]),
      );
      return [committed, failed, noEvents, (await latestEventId(ctx.prisma)) === (before ?? 0n) + 1n];
    },
  },
  pruneEvents: {
    phase: 5,
    run: async (ctx) => [await pruneEvents(ctx.prisma, new Date(0)), await pruneEvents(ctx.prisma, new Date(Date.now() - 86_400_000))],
  },
  upsertGames: {
    phase: 2,
    run: async (ctx) => [
      await upsertGames(ctx.prisma, gameWrites(ctx, false)),
      await upsertGames(ctx.prisma, gameWrites(ctx, false)),
      await upsertGames(ctx.prisma, gameWrites(ctx, true)),
      await upsertGames(ctx.prisma, []),
    ],
  },
  listTeamGames: { phase: 3, run: teamGames },
  loadSeasonGames: {
    phase: 3,
    run: async (ctx) => {
      const keys = [...new Set(ctx.world.games.map((game) => `${game.league}|${game.season}`)), 'MLB|1999'];
      return Promise.all(
        keys.map((key) => {
          const [league, season] = key.split('|') as [GameWrite['league'], string];
          return loadSeasonGames(ctx.prisma, league, season);
        }),
      );
    },
  },
  teamsOfLeaguesOf: {
    phase: 3,
    run: async (ctx) => [
      await teamsOfLeaguesOf(
        ctx.prisma,
        gameTeams(ctx).map((team) => team.id),
      ),
      await teamsOfLeaguesOf(ctx.prisma, ['no-such-team']),
      await teamsOfLeaguesOf(ctx.prisma, []),
    ],
  },
  teamLeagues: {
    phase: 3,
    run: async (ctx) => [
      await teamLeagues(ctx.prisma, [...gameTeams(ctx).map((team) => team.id), 'no-such-team']),
      await teamLeagues(ctx.prisma, []),
    ],
  },
  currentSeasonOf: {
    phase: 3,
    run: async (ctx) =>
      Promise.all([...gameTeams(ctx), { id: 'no-such-team', league: 'NFL' as const }].map((team) => currentSeasonOf(ctx.prisma, team))),
  },
};
