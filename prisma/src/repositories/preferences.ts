import { AppError } from '../errors.ts';
import type { Digest, Preferences, PrismaClient, SummaryLength } from '../generated/prisma/client.ts';

export const MAX_FOLLOWS = 100;

export interface PreferencesRecord {
  summaryLength: SummaryLength;
  digest: Digest;
  timezone: string;
  locale: string;
  followedTeamIds: string[];
  version: number;
  updatedAt: Date;
}

export interface PreferencesChange {
  summaryLength?: SummaryLength | undefined;
  digest?: Digest | undefined;
  timezone?: string | undefined;
  locale?: string | undefined;
  /** The complete new set of followed teams; undefined leaves follows as they are. */
  followedTeamIds?: string[] | undefined;
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

async function ensureRow(db: PrismaClient | Tx, userId: string): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "Preferences" ("userId", "createdAt", "updatedAt") VALUES (${userId}, now(), now())
    ON CONFLICT ("userId") DO NOTHING`;
}

async function read(db: PrismaClient | Tx, userId: string): Promise<PreferencesRecord> {
  const [preferences, follows] = await Promise.all([
    db.preferences.findUniqueOrThrow({ where: { userId } }),
    db.follow.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { teamId: 'asc' }], select: { teamId: true } }),
  ]);
  return toRecord(
    preferences,
    follows.map((follow) => follow.teamId),
  );
}

function toRecord(preferences: Preferences, followedTeamIds: string[]): PreferencesRecord {
  return {
    summaryLength: preferences.summaryLength,
    digest: preferences.digest,
    timezone: preferences.timezone,
    locale: preferences.locale,
    followedTeamIds,
    version: preferences.version,
    updatedAt: preferences.updatedAt,
  };
}

/** A user's preferences; a new user gets the defaults (version 1). */
export async function getPreferences(prisma: PrismaClient, userId: string): Promise<PreferencesRecord> {
  await ensureRow(prisma, userId);
  return read(prisma, userId);
}

async function assertTeamsExist(db: Tx, teamIds: string[]): Promise<void> {
  if (teamIds.length > MAX_FOLLOWS) throw new AppError('BAD_REQUEST', `You can follow at most ${String(MAX_FOLLOWS)} teams`);
  const found = await db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true } });
  const known = new Set(found.map((team) => team.id));
  const unknown = teamIds.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new AppError('NOT_FOUND', `Unknown team ids: ${unknown.slice(0, 5).join(', ')}`);
}

/**
 * Applies a change if `expectedVersion` is still current, bumping the version; otherwise a
 * CONFLICT and nothing is written. Follows, being part of the preferences, change in the same
 * transaction.
 */
export async function updatePreferences(
  prisma: PrismaClient,
  userId: string,
  expectedVersion: number,
  change: PreferencesChange,
): Promise<PreferencesRecord> {
  await ensureRow(prisma, userId);
  return prisma.$transaction(async (tx) => {
    const followed = change.followedTeamIds === undefined ? undefined : [...new Set(change.followedTeamIds)];
    if (followed) await assertTeamsExist(tx, followed);
    const { count } = await tx.preferences.updateMany({
      where: { userId, version: expectedVersion },
      data: {
        summaryLength: change.summaryLength,
        digest: change.digest,
        timezone: change.timezone,
        locale: change.locale,
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      const current = await tx.preferences.findUniqueOrThrow({ where: { userId }, select: { version: true } });
      throw new AppError(
        'CONFLICT',
        `Preferences are at version ${String(current.version)}, not ${String(expectedVersion)}; read them again and retry`,
      );
    }
    if (followed) {
      await tx.follow.deleteMany({ where: { userId, teamId: { notIn: followed } } });
      await tx.follow.createMany({ data: followed.map((teamId) => ({ userId, teamId })), skipDuplicates: true });
    }
    return read(tx, userId);
  });
}

export interface FollowResult {
  teamId: string;
  following: boolean;
  changed: boolean;
}

/** Follows a team; following it again changes nothing. Bumps the preferences version when it changes. */
export async function followTeam(prisma: PrismaClient, userId: string, teamId: string): Promise<FollowResult> {
  await ensureRow(prisma, userId);
  return prisma.$transaction(async (tx) => {
    if (!(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } }))) {
      throw new AppError('NOT_FOUND', `No team with id ${teamId}`);
    }
    if (await tx.follow.findUnique({ where: { userId_teamId: { userId, teamId } } })) return { teamId, following: true, changed: false };
    if ((await tx.follow.count({ where: { userId } })) >= MAX_FOLLOWS) {
      throw new AppError('BAD_REQUEST', `You can follow at most ${String(MAX_FOLLOWS)} teams`);
    }
    const { count } = await tx.follow.createMany({ data: [{ userId, teamId }], skipDuplicates: true });
    if (count > 0) await tx.preferences.update({ where: { userId }, data: { version: { increment: 1 } } });
    return { teamId, following: true, changed: count > 0 };
  });
}

/** Unfollows a team; unfollowing a team not followed changes nothing. */
export async function unfollowTeam(prisma: PrismaClient, userId: string, teamId: string): Promise<FollowResult> {
  await ensureRow(prisma, userId);
  return prisma.$transaction(async (tx) => {
    if (!(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } }))) {
      throw new AppError('NOT_FOUND', `No team with id ${teamId}`);
    }
    const { count } = await tx.follow.deleteMany({ where: { userId, teamId } });
    if (count > 0) await tx.preferences.update({ where: { userId }, data: { version: { increment: 1 } } });
    return { teamId, following: false, changed: count > 0 };
  });
}

/** The ids of the teams a user follows, sorted. */
export async function followedTeamIds(prisma: PrismaClient, userId: string): Promise<string[]> {
  const follows = await prisma.follow.findMany({ where: { userId }, orderBy: { teamId: 'asc' }, select: { teamId: true } });
  return follows.map((follow) => follow.teamId);
}

/** The preferences that shape what a user is shown, or null before they saved any. */
export function viewPreferences(prisma: PrismaClient, userId: string): Promise<{ timezone: string; summaryLength: SummaryLength } | null> {
  return prisma.preferences.findUnique({ where: { userId }, select: { timezone: true, summaryLength: true } });
}
