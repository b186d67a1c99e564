import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { header } from '../games-api/rows.ts';
import { newsItem, startProxy, until, type Proxy } from '../live/support.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { repoRoot, spawnInRepo, killGroup } from '../support/process.ts';

const run = promisify(execFile);
const bin = join(repoRoot, 'client-sdk/bin/pressbox.js');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the pressbox CLI, run as its installed bin', () => {
  let app: TestApp;
  let feeds: FeedServer;
  let dir: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { PRESSBOX_ADMIN_USER_IDS: 'admin_cli', FEED_ALLOW_PRIVATE_NETWORKS: 'true' } });
    feeds = await startFeedServer();
    dir = await mkdtemp(join(tmpdir(), 'pressbox-cli-'));
  });
  afterAll(async () => {
    await app.close();
    await feeds.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cli = async (args: string[], token?: string, url = app.url): Promise<Outcome> =>
    run(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PRESSBOX_URL: url, ...(token ? { PRESSBOX_TOKEN: token } : {}) },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: unknown) => {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      },
    );

  it('prints its version and per-command help on stdout', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'client-sdk/package.json'), 'utf8')) as { version: string };
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = await cli(['news', '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: pressbox news <teamId>');
    expect(help.stdout).toContain('--sort <value>');
  });

  it('prints JSON with --json and a short text form without it', async () => {
    const json = await cli(['teams', '--league', 'NHL', '--limit', '3', '--json'], app.token('user_cli'));
    const page = JSON.parse(json.stdout) as { items: { league: string }[]; nextCursor: string };
    expect(page.items).toHaveLength(3);
    expect(page.items.every((team) => team.league === 'NHL')).toBe(true);
    const text = await cli(['team', 'nfl-kc'], app.token('user_cli'));
    expect(text.stdout).toContain('name: Kansas City Chiefs');
  });

  it('refuses flags a command does not take, with usage on stderr and exit 2', async () => {
    const refused = await cli(['team', 'nba-bos', '--league', 'NBA'], app.token('user_cli'));
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toContain("Unknown option '--league'");
    expect(refused.stderr).toContain('Usage: pressbox team <teamId>');
    const badValue = await cli(['teams', '--league', 'CURLING'], app.token('user_cli'));
    expect(badValue).toMatchObject({ code: 2, stdout: '' });
    expect(badValue.stderr).toContain('--league must be one of');
  });

  it('exits 2 with usage on stderr for an unknown command or a missing argument', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain('unknown command frobnicate');
    const missing = await cli(['team'], app.token('user_cli'));
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('missing <teamId>');
  });

  it('exits 1 with the error on stderr when the API refuses or cannot be reached', async () => {
    const refused = await cli(['me', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ status: 401, code: 'UNAUTHORIZED', requestId: expect.any(String) as unknown });
    const unreachable = await cli(['me'], app.token('user_cli'), 'http://127.0.0.1:9');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('NETWORK_ERROR');
  });

  it('calls any REST path with `request`', async () => {
    const { stdout } = await cli(['request', 'PUT', '/me/follows/nba-bos', '--json'], app.token('user_cli'));
    expect(JSON.parse(stdout)).toMatchObject({ teamId: 'nba-bos', following: true });
  });

  it('import-games prints the report and exits 3 when rows are rejected', async () => {
    const file = join(dir, 'games.csv');
    await writeFile(
      file,
      [
        header,
        'NBA,2025-26,2025-11-01T00:00:00Z,nba-bos,nba-nyk,FINAL,110,100,cli-ok-1',
        'NBA,2025-26,2025-11-02T00:00:00Z,nba-bos,nba-none,FINAL,99,98,cli-bad-1',
      ].join('\n'),
    );
    const outcome = await cli(['import-games', file, '--json'], app.token('admin_cli'));
    expect(outcome.code).toBe(3);
    const report = JSON.parse(outcome.stdout) as { inserted: number; rejected: { row: number }[] };
    expect(report.inserted).toBe(1);
    expect(report.rejected).toHaveLength(1);
    expect(outcome.stderr).toContain('importing 2 rows');
  });

  it('imports sources from OPML and exports them again', async () => {
    const opml = join(dir, 'feeds.opml');
    await writeFile(
      opml,
      `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body><outline text="Celtics desk" type="rss" xmlUrl="${feeds.url('/cli/bos.xml')}"/></body></opml>`,
    );
    const imported = await cli(['sources', 'import', opml, '--team', 'nba-bos', '--json'], app.token('admin_cli'));
    expect(imported.code).toBe(0);
    expect((JSON.parse(imported.stdout) as { created: unknown[] }).created).toHaveLength(1);
    expect(imported.stderr).toContain('created 1, skipped 0');
    const exported = await cli(['sources', 'export'], app.token('admin_cli'));
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`xmlUrl="${feeds.url('/cli/bos.xml')}"`);
  });

  it('watch streams news live and resumes after the connection drops, missing and repeating nothing', async () => {
    const proxy: Proxy = await startProxy(new URL(app.url).port ? Number(new URL(app.url).port) : 80);
    const watcher = spawnInRepo(process.execPath, [bin, 'watch', 'nba-mia', '--json'], {
      PRESSBOX_URL: proxy.url,
      PRESSBOX_TOKEN: app.token('user_cli_watch'),
    });
    const titles = () =>
      watcher
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { data: { title: string } }).data.title);
    const publish = (key: string) =>
      app.running.services.events.publish({ type: 'news.created', teamId: 'nba-mia', data: newsItem(key, ['nba-mia']) });
    try {
      await until(() => watcher.stderr().includes('watching nba-mia'), 20_000, 'the watch to start');
      await publish('cli-1');
      await until(() => titles().length === 1, 10_000, 'the first story');
      proxy.cut();
      await publish('cli-2');
      await until(() => titles().length === 2, 20_000, 'the story published while disconnected');
      await publish('cli-3');
      await until(() => titles().length === 3, 10_000, 'the third story');
      expect(titles()).toEqual(['Story cli-1', 'Story cli-2', 'Story cli-3']);
      expect(watcher.stderr()).toContain('reconnecting');
    } finally {
      killGroup(watcher, 'SIGINT');
      expect(await watcher.exited).toBe(0);
      await proxy.close();
    }
  });
});
