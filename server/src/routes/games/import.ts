import { importGameFile } from '../../domain/games.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './import.types.ts';

export const gamesImport = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function gamesImport({ ctx, input }) {
    return importGameFile(ctx.services, input);
  });
