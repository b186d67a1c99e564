import {
  Digest,
  FetchOutcome,
  GameStatus,
  League,
  MatchedBy,
  Role,
  SourceKind,
  SourceStatus,
  SummaryLength,
  type FeedEntry,
  type EntryTag,
  type PrismaClient,
  type TransactionalSql,
  type Team,
} from '@pressbox/db';
import fc from 'fast-check';

/**
 * One generated world: everything the repository functions are called with. The same world is
 * applied to PGlite and to Postgres; only ids and the database's own `now()` differ between them.
 */
export interface World {
  sources: SourceSpec[];
  users: UserSpec[];
  games: GameSpec[];
  summaries: SummarySpec[];
  events: EventSpec[];
}

export type SourceLink = 'teams' | 'league' | 'both' | 'neither';

export interface SourceSpec {
  league: League;
  link: SourceLink;
  /** Positions of the linked teams among the league's first ten teams (by id). */
  teams: number[];
  /** Names that differ in case and accents only, so collation shows in every ordering by name. */
  name: string;
  entries: EntrySpec[];
  /** What an update later changes. */
  change: { name: string | undefined; status: 'ACTIVE' | 'PAUSED' | undefined; teams: number[] | undefined; dropLeague: boolean };
  kind: SourceKind;
  outcome: FetchOutcome;
  status: SourceStatus;
}

export interface EntrySpec {
  phrase: string;
  /** Teams of the league named in the title, and how they were recognised. */
  mentions: { position: number; by: Exclude<MatchedBy, 'SOURCE'> }[];
  /** Minutes before the world's `now` (20 days back at most: some fall out of the dashboard's 14). */
  minutesAgo: number;
  /** Entries of different sources with the same slot share a canonical URL. */
  shared: number | null;
  withSummary: boolean;
  withAlias: boolean;
  /** Stored again with another text (an edit in place). */
  edited: boolean;
  author: string | null;
}

export interface UserSpec {
  role: Role;
  email: string | null;
  summaryLength: SummaryLength;
  digest: Digest;
  timezone: string;
  locale: string;
  /** Positions among all teams (by id). */
  follows: number[];
  unfollow: number | null;
}

export interface GameSpec {
  league: League;
  home: number;
  away: number;
  season: string;
  status: GameStatus;
  homeScore: number | null;
  awayScore: number | null;
  hoursFromNow: number;
  /** The status a re-import moves it to (null: re-imported unchanged). */
  later: GameStatus | null;
}

export interface SummarySpec {
  team: number;
  length: SummaryLength;
  inputVersion: string;
  minutesAgo: number;
}

export interface EventSpec {
  type: string;
  team: number | null;
  /** Any JSON: what jsonb keeps of it must come back alike from both drivers. */
  data: unknown;
}

export const leagues = Object.values(League);
export const timezones = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham'] as const;
const phrases = ['trade talks', 'injury report', 'late winner', 'coach interview', 'season preview', 'draft pick'] as const;
const names = ['alpha', 'Alpha', 'beta', 'Beta', 'Élan', 'elan', 'zulu', '_desk', '10 Sports', '9 Sports'] as const;
const position = fc.integer({ min: 0, max: 9 });

const entrySpec: fc.Arbitrary<EntrySpec> = fc.record({
  phrase: fc.constantFrom(...phrases),
  mentions: fc.uniqueArray(fc.record({ position, by: fc.constantFrom<'NAME' | 'ALIAS'>('NAME', 'ALIAS') }), {
    maxLength: 2,
    selector: (mention) => mention.position,
  }),
  minutesAgo: fc.integer({ min: 0, max: 20 * 24 * 60 }),
  shared: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 3 }),
  withSummary: fc.boolean(),
  withAlias: fc.boolean(),
  edited: fc.boolean(),
  author: fc.option(fc.constantFrom('Ann Writer', 'Bo Reporter'), { nil: null }),
});

const sourceSpec: fc.Arbitrary<SourceSpec> = fc.record({
  league: fc.constantFrom(...leagues),
  link: fc.constantFrom<SourceLink>('teams', 'league', 'both', 'neither'),
  teams: fc.uniqueArray(position, { minLength: 1, maxLength: 3 }),
  name: fc.constantFrom(...names),
  entries: fc.array(entrySpec, { maxLength: 5 }),
  change: fc.record({
    name: fc.option(fc.constantFrom(...names), { nil: undefined }),
    status: fc.constantFrom<'ACTIVE' | 'PAUSED' | undefined>('ACTIVE', 'PAUSED', undefined),
    teams: fc.option(fc.uniqueArray(position, { maxLength: 3 }), { nil: undefined }),
    dropLeague: fc.boolean(),
  }),
  kind: fc.constantFrom(...Object.values(SourceKind)),
  outcome: fc.constantFrom(...Object.values(FetchOutcome)),
  status: fc.constantFrom(...Object.values(SourceStatus)),
});

const userSpec: fc.Arbitrary<UserSpec> = fc.record({
  role: fc.constantFrom(...Object.values(Role)),
  email: fc.option(fc.constantFrom('a@example.com', 'B@Example.com'), { nil: null }),
  summaryLength: fc.constantFrom(...Object.values(SummaryLength)),
  digest: fc.constantFrom(...Object.values(Digest)),
  timezone: fc.constantFrom(...timezones),
  locale: fc.constantFrom('en-US', 'fr-FR', 'pt-BR'),
  follows: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }),
  unfollow: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
});

const score = fc.option(fc.integer({ min: 0, max: 150 }), { nil: null });
const gameSpec: fc.Arbitrary<GameSpec> = fc
  .record({
    league: fc.constantFrom(...leagues),
    home: fc.integer({ min: 0, max: 5 }),
    away: fc.integer({ min: 1, max: 5 }),
    season: fc.constantFrom('2025', '2025-26'),
    status: fc.constantFrom(...Object.values(GameStatus)),
    homeScore: score,
    awayScore: score,
    hoursFromNow: fc.integer({ min: -2_000, max: 2_000 }),
    later: fc.option(fc.constantFrom(...Object.values(GameStatus)), { nil: null }),
  })
  .map((game) => ({ ...game, away: (game.home + game.away) % 6 }));

export const worldArbitrary: fc.Arbitrary<World> = fc.record({
  sources: fc.array(sourceSpec, { minLength: 1, maxLength: 4 }),
  users: fc.array(userSpec, { minLength: 1, maxLength: 3 }),
  games: fc.array(gameSpec, { maxLength: 6 }),
  summaries: fc.array(
    fc.record({
      team: position,
      length: fc.constantFrom(...Object.values(SummaryLength)),
      inputVersion: fc.constantFrom('v1', 'v2'),
      minutesAgo: fc.integer({ min: 0, max: 600 }),
    }),
    { maxLength: 4 },
  ),
  events: fc.array(
    fc.record({
      type: fc.constantFrom('news.created', 'dashboard.updated', 'summary.updated'),
      team: fc.option(position, { nil: null }),
      data: fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }),
    }),
    { maxLength: 4 },
  ),
});

/** What one database learnt while the world was applied to it: its own ids, by stable key. */
export interface WorldState {
  /** Per source spec: its id, or undefined when creating it was refused. */
  sources: (string | undefined)[];
  /** Article ids by entry key (`<source>.<entry>`). */
  articles: Map<string, string>;
  summaries: string[];
  /** The id before this world's first event: event ids are compared relative to it. */
  eventBase: bigint;
}

export interface CaseContext {
  prisma: PrismaClient;
  /** The same database's raw statement path. */
  sql: TransactionalSql;
  world: World;
  /** Unique per generated world: keeps its rows apart from earlier worlds' in the same databases. */
  tag: string;
  /** The world's clock (far from the wall clock, which the databases' own `now()` reads). */
  now: Date;
  /** Every team, by id: reference data, identical on both databases. */
  teams: Team[];
  state: WorldState;
  /** Distinguishes worlds' timestamps from each other (ms), so no two articles tie on time. */
  ordinal: number;
}

/** The league's first ten teams by id, which positions refer to. */
export function leagueTeams(ctx: CaseContext, league: League): Team[] {
  return ctx.teams.filter((team) => team.league === league).slice(0, 10);
}

export function teamAt(ctx: CaseContext, league: League, at: number): Team {
  const teams = leagueTeams(ctx, league);
  const team = teams[at % teams.length];
  if (!team) throw new Error(`no team ${String(at)} in ${league}`);
  return team;
}

/** A team by position among all teams. */
export function anyTeam(ctx: CaseContext, at: number): Team {
  const team = ctx.teams[at % ctx.teams.length];
  if (!team) throw new Error('no teams');
  return team;
}

export function sourceUrl(ctx: CaseContext, index: number): string {
  return `https://diff.example/${ctx.tag}/feed-${String(index)}`;
}

export function linkedTeamIds(ctx: CaseContext, spec: SourceSpec): string[] {
  return spec.link === 'teams' || spec.link === 'both' ? spec.teams.map((at) => teamAt(ctx, spec.league, at).id) : [];
}

export function sourceLeague(spec: SourceSpec): League | null {
  return spec.link === 'league' || spec.link === 'both' ? spec.league : null;
}

/** The feed entry a spec stands for; `edition` 1 is the text of a later edit. */
export function feedEntry(ctx: CaseContext, source: number, entry: number, edition: 0 | 1): FeedEntry {
  const spec = ctx.world.sources[source];
  const item = spec?.entries[entry];
  if (!spec || !item) throw new Error('no such entry');
  const named = item.mentions.map((mention) => teamAt(ctx, spec.league, mention.position).name);
  const key = `${ctx.tag}-${String(source)}-${String(entry)}`;
  const title = `${item.phrase} — ${named.join(' and ') || 'League'} ${ctx.tag}.${String(source)}.${String(entry)}${edition ? ' (updated)' : ''}`;
  const summary = item.withSummary || edition ? `${item.phrase} details${edition ? ' corrected' : ''}` : '';
  return {
    itemKey: key,
    aliasKeys: item.withAlias ? [`old-${key}`] : undefined,
    contentHash: `${title}|${summary}`,
    url: `https://diff.example/${ctx.tag}/${String(source)}/${String(entry)}`,
    canonicalUrl: item.shared === null ? undefined : `https://diff.example/${ctx.tag}/shared-${String(item.shared)}`,
    title,
    author: item.author ?? undefined,
    summary,
    publishedAt: new Date(ctx.now.getTime() - item.minutesAgo * 60_000 - ctx.ordinal * 100 - source * 10 - entry),
  };
}

/** The tags an entry of a source gets: its linked teams (SOURCE), and for league sources the teams it names. */
export function entryTags(ctx: CaseContext, source: number, entry: number): EntryTag[] {
  const spec = ctx.world.sources[source];
  const item = spec?.entries[entry];
  if (!spec || !item) return [];
  const tags: EntryTag[] = linkedTeamIds(ctx, spec).map((teamId) => ({ teamId, matchedBy: 'SOURCE' }));
  if (sourceLeague(spec) !== null) {
    for (const mention of item.mentions) tags.push({ teamId: teamAt(ctx, spec.league, mention.position).id, matchedBy: mention.by });
  }
  return tags;
}

/** Ids of the teams this world touches (linked, named, summarised or playing), sorted. */
export function touchedTeamIds(ctx: CaseContext): string[] {
  const ids = new Set<string>();
  ctx.world.sources.forEach((spec, source) => {
    for (const id of linkedTeamIds(ctx, spec)) ids.add(id);
    spec.entries.forEach((_entry, entry) => {
      for (const tag of entryTags(ctx, source, entry)) ids.add(tag.teamId);
    });
  });
  for (const game of ctx.world.games) ids.add(teamAt(ctx, game.league, game.home).id);
  for (const summary of ctx.world.summaries) ids.add(anyTeam(ctx, summary.team).id);
  return [...ids].sort().slice(0, 6);
}
