import type { League, Prisma, PrismaClient, Source, Team } from '../generated/prisma/client.ts';

/** A source as a fetch reads it: the row and the ids of its linked teams. */
export type FetchedSource = Source & { teamIds: string[] };

/** The source a fetch job is about, or null when it was deleted meanwhile. */
export async function loadSourceForFetch(prisma: PrismaClient, id: string): Promise<FetchedSource | null> {
  const source = await prisma.source.findUnique({ where: { id }, include: { teams: { select: { teamId: true } } } });
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

/** A league's teams with the names league-wide news is tagged by. */
export function teamsOfLeague(
  prisma: PrismaClient,
  league: League,
): Promise<Pick<Team, 'id' | 'league' | 'name' | 'shortName' | 'aliases'>[]> {
  return prisma.team.findMany({ where: { league }, select: { id: true, league: true, name: true, shortName: true, aliases: true } });
}
