import { changeMyPreferences } from '../../../domain/me.ts';
import { protectedProcedure } from '../../../trpc/procedures.ts';
import { input, meta, output } from './put.types.ts';

export const mePreferencesPut = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function mePreferencesPut({ ctx, input }) {
    return changeMyPreferences(ctx.services, ctx.user.id, input);
  });
