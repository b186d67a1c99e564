import { router } from '../../trpc/init.ts';
import { importGamesProcedure } from './import-games.ts';

export const gamesRouter = router({ import: importGamesProcedure });
