import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/process.ts';

const run = promisify(execFile);

describe('one `npm run build`', () => {
  it('writes openapi.json (server build) before the SDK generates its types from it', async () => {
    const { stdout } = await run(process.execPath, [join(repoRoot, 'node_modules/turbo/bin/turbo'), 'run', 'build', '--dry=json'], {
      cwd: repoRoot,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const plan = JSON.parse(stdout) as { tasks: { taskId: string; dependencies: string[] }[] };
    const generate = plan.tasks.find((task) => task.taskId === '@pressbox/client#generate');
    expect(generate?.dependencies).toContain('@pressbox/server#build');
    const types = plan.tasks.find((task) => task.taskId === '@pressbox/api-types#build');
    expect(types?.dependencies).toContain('@pressbox/server#build');
  });

  it('leaves the SDK types generated from the openapi.json checked in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pressbox-sdk-types-'));
    try {
      const fresh = join(dir, 'schema.ts');
      await run(
        process.execPath,
        [join(repoRoot, 'node_modules/openapi-typescript/bin/cli.js'), 'client-sdk/openapi.json', '--output', fresh, '--root-types'],
        { cwd: repoRoot },
      );
      expect(await readFile(join(repoRoot, 'client-sdk/src/generated/schema.ts'), 'utf8')).toBe(await readFile(fresh, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
