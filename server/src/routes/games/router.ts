import { router } from '../../trpc/init.ts';
import { gamesImport } from './import.ts';

export const gamesRouter = router({ import: gamesImport });
