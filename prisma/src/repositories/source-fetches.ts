import type { FetchOutcome, League, Prisma, PrismaClient, Source, SourceStatus, Team } from '../generated/prisma/client.ts';
import { uuidv7 } from '../ids.ts';

/** A source as a fetch reads it: the row and the ids of its linked teams. */
export type FetchedSource = Source & { teamIds: string[] };

/** The source a fetch job is about (its team ids sorted), or null when it was deleted meanwhile. */
export async function loadSourceForFetch(prisma: PrismaClient, id: string): Promise<FetchedSource | null> {
  const source = await prisma.source.findUnique({
    where: { id },
    include: { teams: { select: { teamId: true }, orderBy: { teamId: 'asc' } } },
  });
  if (!source) return null;
  const { teams, ...row } = source;
  return { ...row, teamIds: teams.map((team) => team.teamId) };
}

/** What a fetch changes on its source: validators, status, error count, schedule. */
export type SourceFetchUpdate = Pick<
  Prisma.SourceUpdateManyMutationInput,
  | 'lastFetchedAt'
  | 'lastSuccessAt'
  | 'consecutiveErrors'
  | 'lastError'
  | 'status'
  | 'nextFetchAt'
  | 'etag'
  | 'lastModified'
  | 'kind'
  | 'ttlMinutes'
>;

/** Records a fetch on its source; a source deleted meanwhile is left alone. */
export async function recordSourceFetch(prisma: PrismaClient, id: string, update: SourceFetchUpdate): Promise<void> {
  await prisma.source.updateMany({ where: { id }, data: update });
}

/** Up to `limit` sources due at `now` and not paused, the most overdue first. */
export function dueSources(prisma: PrismaClient, now: Date, limit: number): Promise<{ id: string; nextFetchAt: Date }[]> {
  return prisma.source.findMany({
    where: { status: { not: 'PAUSED' }, nextFetchAt: { lte: now } },
    orderBy: { nextFetchAt: 'asc' },
    take: limit,
    select: { id: true, nextFetchAt: true },
  });
}

/** A league's teams with the names league-wide news is tagged by, sorted by id. */
export function teamsOfLeague(
  prisma: PrismaClient,
  league: League,
): Promise<Pick<Team, 'id' | 'league' | 'name' | 'shortName' | 'aliases'>[]> {
  return prisma.team.findMany({
    where: { league },
    orderBy: { id: 'asc' },
    select: { id: true, league: true, name: true, shortName: true, aliases: true },
  });
}

/** Fetch attempts kept per source: enough to see a pattern, small enough to never matter. */
export const FETCHES_KEPT = 50;

/** One fetch attempt as it is recorded. */
export interface FetchAttempt {
  startedAt: Date;
  durationMs: number;
  outcome: FetchOutcome;
  httpStatus: number | null;
  bytes: number | null;
  created: number;
  updated: number;
  unchanged: number;
  linked: number;
  /** Articles that were news to each team. */
  newsByTeam: Record<string, number>;
  /** What went wrong, in words an admin can act on. */
  error: string | null;
  jobId: string | null;
  nextFetchAt: Date | null;
}

/** Records a fetch attempt of a source and forgets all but its newest `FETCHES_KEPT`. */
export async function recordFetchAttempt(prisma: PrismaClient, sourceId: string, attempt: FetchAttempt): Promise<void> {
  await prisma.$transaction([
    prisma.sourceFetch.create({ data: { id: uuidv7(), sourceId, ...attempt } }),
    prisma.$executeRaw`
      DELETE FROM "SourceFetch" WHERE "sourceId" = ${sourceId}::uuid AND "id" NOT IN (
        SELECT "id" FROM "SourceFetch" WHERE "sourceId" = ${sourceId}::uuid ORDER BY "startedAt" DESC, "id" DESC LIMIT ${FETCHES_KEPT})`,
  ]);
}

/** A source's newest fetch attempts, newest first. */
export async function recentFetchAttempts(
  prisma: PrismaClient,
  sourceId: string,
  limit: number,
): Promise<(FetchAttempt & { id: string })[]> {
  const rows = await prisma.sourceFetch.findMany({
    where: { sourceId },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: limit,
    omit: { sourceId: true },
  });
  return rows.map((row) => ({ ...row, newsByTeam: countsOf(row.newsByTeam) }));
}

function countsOf(value: Prisma.JsonValue): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

/**
 * How the sources a team's news comes from fare — its own and its league's league-wide ones —
 * for its dashboard: no URLs or errors, which are for admins.
 */
export function teamSourceHealth(
  prisma: PrismaClient,
  team: { id: string; league: League },
): Promise<{ id: string; name: string; status: SourceStatus; lastSuccessAt: Date | null }[]> {
  return prisma.source.findMany({
    where: { OR: [{ teams: { some: { teamId: team.id } } }, { league: team.league }] },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: 20,
    select: { id: true, name: true, status: true, lastSuccessAt: true },
  });
}
