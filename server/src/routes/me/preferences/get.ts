import { getMyPreferences } from '../../../domain/me.ts';
import { protectedProcedure } from '../../../trpc/procedures.ts';
import { input, meta, output } from './get.types.ts';

export const mePreferencesGet = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function mePreferencesGet({ ctx }) {
    return getMyPreferences(ctx.services, ctx.user.id);
  });
