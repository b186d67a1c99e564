import { changeMyPreferences } from '../../../domain/me.ts';
import { protectedProcedure } from '../../../trpc/procedures.ts';
import { input, meta, output } from './patch.types.ts';

export const mePreferencesPatch = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function mePreferencesPatch({ ctx, input }) {
    return changeMyPreferences(ctx.services, ctx.user.id, input);
  });
