import { AppError, findTeam, listTeams, type League, type Page, type PrismaClient } from '@pressbox/db';
import { toTeamDto, type TeamDto } from '../schemas/team.ts';

export interface TeamsDeps {
  prisma: PrismaClient;
}

/** A page of teams by name; `followed` keeps only the teams the user follows (or does not). */
export async function listTeamsFor(
  deps: TeamsDeps,
  userId: string,
  query: {
    league?: League | undefined;
    q?: string | undefined;
    followed?: boolean | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TeamDto>> {
  const page = await listTeams(deps.prisma, {
    league: query.league,
    q: query.q,
    followedBy: query.followed === undefined ? undefined : { userId, following: query.followed },
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: page.items.map(toTeamDto), nextCursor: page.nextCursor };
}

/** One team; NOT_FOUND for an unknown id. */
export async function getTeam(deps: TeamsDeps, teamId: string): Promise<TeamDto> {
  const team = await findTeam(deps.prisma, teamId);
  if (!team) throw new AppError('NOT_FOUND', `No team with id ${teamId}`);
  return toTeamDto(team);
}
