import { router } from '../../trpc/init.ts';
import { getJobProcedure } from './get-job.ts';

export const jobsRouter = router({ get: getJobProcedure });
