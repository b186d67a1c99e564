import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { repoRoot } from '../support/process.ts';

const run = promisify(execFile);

describe('the pressbox CLI', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const cli = (args: string[], token?: string) =>
    run(process.execPath, ['--conditions=@pressbox/source', '--import', 'tsx', 'client-sdk/src/cli.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', PRESSBOX_URL: app.url, ...(token ? { PRESSBOX_TOKEN: token } : {}) },
    });

  it('prints JSON answers of typed commands', async () => {
    const { stdout } = await cli(['teams', '--league', 'NHL', '--limit', '3'], app.token('user_cli'));
    const page = JSON.parse(stdout) as { items: { league: string }[]; nextCursor: string };
    expect(page.items).toHaveLength(3);
    expect(page.items.every((team) => team.league === 'NHL')).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(JSON.parse((await cli(['team', 'nfl-kc'], app.token('user_cli'))).stdout)).toMatchObject({ name: 'Kansas City Chiefs' });
  });

  it('calls any REST path with `request`', async () => {
    const { stdout } = await cli(['request', 'PUT', '/me/follows/nba-bos'], app.token('user_cli'));
    expect(JSON.parse(stdout)).toMatchObject({ teamId: 'nba-bos', following: true });
  });

  it('exits 1 with the error body on stderr when the API refuses', async () => {
    const failure = (await cli(['me']).catch((error: unknown) => error)) as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stderr)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('exits 2 with usage for an unknown command or a missing argument', async () => {
    const unknown = (await cli(['frobnicate']).catch((error: unknown) => error)) as { code: number; stdout: string };
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('Commands:');
    const missing = (await cli(['team'], app.token('user_cli')).catch((error: unknown) => error)) as { code: number; stderr: string };
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing <teamId>');
  });
});
