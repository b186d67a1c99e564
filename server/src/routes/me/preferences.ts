import { getPreferences, updatePreferences } from '@pressbox/db';
import { z } from 'zod';
import { toPreferencesDto } from '../../schemas/preferences.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  getPreferencesMeta,
  patchPreferencesInput,
  patchPreferencesMeta,
  preferencesOutput,
  putPreferencesInput,
  putPreferencesMeta,
} from './preferences.types.ts';

export const getPreferencesProcedure = protectedProcedure
  .meta(getPreferencesMeta)
  .input(z.object({}))
  .output(preferencesOutput)
  .query(async ({ ctx }) => toPreferencesDto(await getPreferences(ctx.services.prisma, ctx.user.id)));

export const putPreferencesProcedure = protectedProcedure
  .meta(putPreferencesMeta)
  .input(putPreferencesInput)
  .output(preferencesOutput)
  .mutation(async ({ ctx, input }) => {
    const { version, ...change } = input;
    return toPreferencesDto(await updatePreferences(ctx.services.prisma, ctx.user.id, version, change));
  });

export const patchPreferencesProcedure = protectedProcedure
  .meta(patchPreferencesMeta)
  .input(patchPreferencesInput)
  .output(preferencesOutput)
  .mutation(async ({ ctx, input }) => {
    const { version, ...change } = input;
    return toPreferencesDto(await updatePreferences(ctx.services.prisma, ctx.user.id, version, change));
  });
