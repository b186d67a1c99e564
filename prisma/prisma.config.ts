// Prisma CLI configuration for @pressbox/db. Run the CLI from this directory: `cd prisma && npx prisma ...`.
import { accessSync, chmodSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// The CLI would otherwise download a native schema engine from binaries.prisma.sh, which our
// machines cannot reach. tools/schema-engine.mjs stands in for it (see its header).
const schemaEngine = fileURLToPath(new URL('./tools/schema-engine.mjs', import.meta.url));
try {
  accessSync(schemaEngine, constants.X_OK);
} catch {
  // The CLI spawns the file directly; some checkouts drop the mode bit. The path is fixed above.
  // eslint-disable-next-line security/detect-non-literal-fs-filename
  chmodSync(schemaEngine, 0o755);
}
process.env['PRISMA_SCHEMA_ENGINE_BINARY'] = schemaEngine;

// Keep the CLI offline and quiet: no update checks, telemetry or update banners.
process.env['CHECKPOINT_DISABLE'] ??= '1';
process.env['PRISMA_HIDE_UPDATE_MESSAGE'] ??= '1';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: {
    path: 'migrations',
  },
  datasource: {
    url: process.env['DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/pressbox_dev',
    shadowDatabaseUrl: process.env['SHADOW_DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/pressbox_shadow',
  },
});
