import { z } from 'zod';
import { meSchema, toMeDto } from '../../schemas/me.ts';
import type { Meta } from '../../trpc/meta.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

export const getMeMeta = {
  openapi: { method: 'GET', path: '/me', tags: ['me'], summary: 'The signed-in user' },
} satisfies Meta;

export const getMeProcedure = protectedProcedure
  .meta(getMeMeta)
  .input(z.object({}))
  .output(meSchema)
  .query(async ({ ctx }) => toMeDto(await ctx.services.prisma.user.findUniqueOrThrow({ where: { id: ctx.user.id } })));
