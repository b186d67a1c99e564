import { AppError, findTeam } from '@pressbox/db';
import { toTeamDto } from '../../schemas/team.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getTeamInput, getTeamMeta, getTeamOutput } from './get-team.types.ts';

export const getTeamProcedure = protectedProcedure
  .meta(getTeamMeta)
  .input(getTeamInput)
  .output(getTeamOutput)
  .query(async ({ ctx, input }) => {
    const team = await findTeam(ctx.services.prisma, input.teamId);
    if (!team) throw new AppError('NOT_FOUND', `No team with id ${input.teamId}`);
    return toTeamDto(team);
  });
