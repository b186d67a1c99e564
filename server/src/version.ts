import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The server package's version, shown in openapi.json and logs. */
export const version = (require('../package.json') as { version: string }).version;
