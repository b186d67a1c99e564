import { followTeam, unfollowTeam } from '@pressbox/db';
import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { followSchema } from '../../schemas/me.ts';
import type { Meta } from '../../trpc/meta.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

const followInput = z.object({ teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }) });

export const followTeamProcedure = protectedProcedure
  .meta({
    openapi: { method: 'PUT', path: '/me/follows/{teamId}', tags: ['me'], summary: 'Follow a team (idempotent)' },
  } satisfies Meta)
  .input(followInput)
  .output(followSchema)
  .mutation(({ ctx, input }) => followTeam(ctx.services.prisma, ctx.user.id, input.teamId));

export const unfollowTeamProcedure = protectedProcedure
  .meta({
    openapi: { method: 'DELETE', path: '/me/follows/{teamId}', tags: ['me'], summary: 'Unfollow a team (idempotent)' },
  } satisfies Meta)
  .input(followInput)
  .output(followSchema)
  .mutation(({ ctx, input }) => unfollowTeam(ctx.services.prisma, ctx.user.id, input.teamId));
