import { router } from '../../../trpc/init.ts';
import { mePreferencesGet } from './get.ts';
import { mePreferencesPatch } from './patch.ts';
import { mePreferencesPut } from './put.ts';

export const mePreferencesRouter = router({ get: mePreferencesGet, put: mePreferencesPut, patch: mePreferencesPatch });
