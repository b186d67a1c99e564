import { AppError, allTeamRows, type PrismaClient, type Team } from '@pressbox/db';

/**
 * The reference teams, read once at start-up: they change only when a new release upserts them,
 * so per-request existence checks cost no query.
 */
export interface TeamDirectory {
  get(id: string): Team | undefined;
  /** The team, or a NOT_FOUND AppError. */
  require(id: string): Team;
  all(): readonly Team[];
}

export async function loadTeamDirectory(prisma: PrismaClient): Promise<TeamDirectory> {
  const teams = await allTeamRows(prisma);
  const byId = new Map(teams.map((team) => [team.id, team]));
  return {
    get: (id) => byId.get(id),
    require: (id) => {
      const team = byId.get(id);
      if (!team) throw new AppError('NOT_FOUND', `No team with id ${id}`);
      return team;
    },
    all: () => teams,
  };
}
