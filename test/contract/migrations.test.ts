import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { databaseAvailable } from '../support/databases.ts';
import { postgresAdminUrl } from '../support/environment.ts';
import { repoRoot } from '../support/process.ts';

const run = promisify(execFile);

describe.skipIf(!databaseAvailable('postgres'))('prisma/migrations', { timeout: 180_000 }, () => {
  it('produce exactly schema.prisma (no drift) and deploy cleanly with the Prisma CLI, offline', async () => {
    const server = new URL(postgresAdminUrl);
    server.pathname = '';
    const { stdout } = await run('bash', ['prisma/tools/smoke-migrations.sh'], {
      cwd: repoRoot,
      env: { ...process.env, SMOKE_SERVER_URL: server.toString().replace(/\/$/, '') },
    });
    expect(stdout).toContain('smoke: OK');
  });
});
