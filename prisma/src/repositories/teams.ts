import type { League, Prisma, PrismaClient, Team } from '../generated/prisma/client.ts';
import { decodeCursorOrThrow, toPage, type Page } from '../pagination.ts';

export interface ListTeamsQuery {
  league?: League | undefined;
  /** Case-insensitive match on name, short name, city or abbreviation. */
  q?: string | undefined;
  /** Only teams this user follows (or, with `following: false`, does not follow). */
  followedBy?: { userId: string; following: boolean } | undefined;
  limit: number;
  cursor?: string | undefined;
}

const cursorShape = ['string', 'string'] as const;

/** Teams ordered by name, then id; keyset pagination on that pair. */
export async function listTeams(prisma: PrismaClient, query: ListTeamsQuery): Promise<Page<Team>> {
  const after = query.cursor === undefined ? undefined : decodeCursorOrThrow(query.cursor, cursorShape);
  const [afterName, afterId] = (after ?? []) as string[];
  const q = query.q?.trim();
  const conditions: Prisma.TeamWhereInput[] = [];
  if (query.league) conditions.push({ league: query.league });
  if (q) {
    conditions.push({
      OR: [
        { name: { contains: q, mode: 'insensitive' } },
        { shortName: { contains: q, mode: 'insensitive' } },
        { city: { contains: q, mode: 'insensitive' } },
        { abbreviation: { equals: q, mode: 'insensitive' } },
      ],
    });
  }
  if (query.followedBy) {
    const follows = { some: { userId: query.followedBy.userId } };
    conditions.push(query.followedBy.following ? { follows } : { NOT: { follows } });
  }
  if (afterName !== undefined && afterId !== undefined) {
    conditions.push({ OR: [{ name: { gt: afterName } }, { name: afterName, id: { gt: afterId } }] });
  }
  const rows = await prisma.team.findMany({
    where: { AND: conditions },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, (team) => [team.name, team.id]);
}

export async function findTeam(prisma: PrismaClient, id: string): Promise<Team | null> {
  return prisma.team.findUnique({ where: { id } });
}

/** Every team, by id: reference data small enough to keep in memory. */
export function allTeamRows(prisma: PrismaClient): Promise<Team[]> {
  return prisma.team.findMany({ orderBy: { id: 'asc' } });
}

/** How many users follow a team. */
export function followerCount(prisma: PrismaClient, teamId: string): Promise<number> {
  return prisma.follow.count({ where: { teamId } });
}
