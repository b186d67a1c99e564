import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { repoRoot } from '../support/process.ts';
import { compileProject, installedPackages, installProject, pack, type PackedTarball } from './support.ts';

const run = promisify(execFile);

describe('a project outside the repository, on the packed @pressbox/client', () => {
  let dir: string;
  let tarballs: PackedTarball[];
  let app: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pressbox-sdk-consumer-'));
    const folders = ['client-sdk', 'node_modules/openapi-fetch', 'node_modules/openapi-typescript-helpers', 'node_modules/ws'];
    tarballs = await Promise.all(folders.map((folder) => pack(join(repoRoot, folder), dir)));
    await installProject(join(dir, 'project'), join(repoRoot, 'test/consumers/sdk'), tarballs);
    app = await startTestApp();
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('installs without anything of the server', async () => {
    expect(await installedPackages(join(dir, 'project'))).toEqual([
      '@pressbox/client',
      'openapi-fetch',
      'openapi-typescript-helpers',
      'ws',
    ]);
  });

  it('type-checks under strict without skipLibCheck and works against a live server', async () => {
    expect(await compileProject(join(dir, 'project'))).toEqual({ code: 0, output: '' });
    // Run by Node in the project, as its user would run it.
    const script = `import { run } from './dist/consumer.js'; console.log(JSON.stringify(await run(process.argv[1], process.argv[2])));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, app.url, app.token('user_sdk_outside')], {
      cwd: join(dir, 'project'),
    });
    expect(JSON.parse(stdout)).toEqual({
      team: 'Boston Celtics',
      nhlTeams: 32,
      missing: 'NOT_FOUND 404',
      unreachable: 'NETWORK_ERROR',
    });
  });

  it('installs a working `pressbox` bin', async () => {
    const bin = join(dir, 'project/node_modules/.bin/pressbox');
    const { stdout } = await run(bin, ['team', 'nba-bos', '--json'], {
      env: { PATH: process.env.PATH ?? '', PRESSBOX_URL: app.url, PRESSBOX_TOKEN: app.token('user_sdk_outside') },
    });
    expect(JSON.parse(stdout)).toMatchObject({ id: 'nba-bos', name: 'Boston Celtics' });
  });
});
