import { router } from '../../trpc/init.ts';
import { sourcesCreate } from './create.ts';
import { sourcesDelete } from './delete.ts';
import { sourcesExport } from './export.ts';
import { sourcesFetches } from './fetches.ts';
import { sourcesGet } from './get.ts';
import { sourcesImport } from './import.ts';
import { sourcesList } from './list.ts';
import { sourcesRefresh } from './refresh.ts';
import { sourcesUpdate } from './update.ts';

// REST matches paths in this order and `/sources/{sourceId}` would also match `/sources/export`:
// the fixed paths come first.
export const sourcesRouter = router({
  list: sourcesList,
  create: sourcesCreate,
  export: sourcesExport,
  import: sourcesImport,
  get: sourcesGet,
  update: sourcesUpdate,
  delete: sourcesDelete,
  refresh: sourcesRefresh,
  fetches: sourcesFetches,
});
