import {
  followTeam,
  getPreferences,
  requireUser,
  unfollowTeam,
  updatePreferences,
  type FollowResult,
  type PreferencesChange,
  type PrismaClient,
} from '@pressbox/db';
import { toMeDto, type MeDto } from '../schemas/me.ts';
import { toPreferencesDto, type PreferencesDto } from '../schemas/preferences.ts';

export interface MeDeps {
  prisma: PrismaClient;
}

/** The signed-in user's row. */
export async function getMe(deps: MeDeps, userId: string): Promise<MeDto> {
  return toMeDto(await requireUser(deps.prisma, userId));
}

/** The user's preferences, or the defaults of a user who never saved any. */
export async function getMyPreferences(deps: MeDeps, userId: string): Promise<PreferencesDto> {
  return toPreferencesDto(await getPreferences(deps.prisma, userId));
}

/**
 * Writes a change of preferences made from `version`: a stale version is a CONFLICT and nothing
 * is written. A full replacement (PUT) is the change of every field.
 */
export async function changeMyPreferences(
  deps: MeDeps,
  userId: string,
  { version, ...change }: PreferencesChange & { version: number },
): Promise<PreferencesDto> {
  return toPreferencesDto(await updatePreferences(deps.prisma, userId, version, change));
}

/** Follows a team; following it again changes nothing. */
export function follow(deps: MeDeps, userId: string, teamId: string): Promise<FollowResult> {
  return followTeam(deps.prisma, userId, teamId);
}

/** Unfollows a team; unfollowing one not followed changes nothing. */
export function unfollow(deps: MeDeps, userId: string, teamId: string): Promise<FollowResult> {
  return unfollowTeam(deps.prisma, userId, teamId);
}
