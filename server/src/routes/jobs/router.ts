import { router } from '../../trpc/init.ts';
import { jobsGet } from './get.ts';

export const jobsRouter = router({ get: jobsGet });
