import type { PrismaClient } from '../generated/prisma/client.ts';
import { allTeams, type TeamSeed } from './teams/index.ts';

export interface ReferenceSeedResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

const compared = ['league', 'name', 'shortName', 'abbreviation', 'city', 'conference', 'division', 'colors', 'aliases'] as const;

/**
 * Upserts the reference team lists into any database at start-up. Reads every team once and
 * writes only rows that are new or differ, so a second start costs one query.
 */
export async function upsertReferenceTeams(prisma: PrismaClient, teams: readonly TeamSeed[] = allTeams): Promise<ReferenceSeedResult> {
  const existing = new Map((await prisma.team.findMany()).map((team) => [team.id, team]));
  const toInsert: TeamSeed[] = [];
  const toUpdate: TeamSeed[] = [];
  for (const team of teams) {
    const current = existing.get(team.id);
    if (!current) toInsert.push(team);
    else if (compared.some((key) => JSON.stringify(current[key]) !== JSON.stringify(team[key]))) toUpdate.push(team);
  }
  if (toInsert.length > 0) {
    await prisma.team.createMany({
      data: toInsert.map((team) => ({ ...team, colors: [...team.colors], aliases: [...team.aliases] })),
      skipDuplicates: true,
    });
  }
  for (const team of toUpdate) {
    const { id, ...fields } = team;
    await prisma.team.update({ where: { id }, data: { ...fields, colors: [...fields.colors], aliases: [...fields.aliases] } });
  }
  return { inserted: toInsert.length, updated: toUpdate.length, unchanged: teams.length - toInsert.length - toUpdate.length };
}
