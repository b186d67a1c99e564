import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClerkKey, publishableKeyFor } from '../fakes/clerk.ts';
import { freePort, killGroup, spawnInRepo, waitForOutput, waitUntilDown, waitUntilUp, type Spawned } from '../support/process.ts';

const devToken = (banner: string) => /Dev token[^\n]*\n\s+(\S+)/.exec(banner)?.[1] ?? '';

describe('starting and stopping Pressbox as an operator does', { timeout: 240_000 }, () => {
  let dataDir: string;
  let port: number;
  const started: Spawned[] = [];
  const base = () => `http://127.0.0.1:${String(port)}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pressbox-start-'));
    port = await freePort();
  });
  afterAll(async () => {
    for (const spawned of started) {
      if (spawned.child.exitCode === null && spawned.child.signalCode === null) {
        killGroup(spawned, 'SIGKILL');
        await spawned.exited;
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('`npm start` with no configuration serves /healthz and the seeded teams, and prints the docs URL and a dev token', async () => {
    const server = spawnInRepo('npm', ['start'], { PORT: String(port), PRESSBOX_DATA_DIR: dataDir });
    started.push(server);
    await waitUntilUp(`${base()}/healthz`, 150_000, server);
    await waitForOutput(server, 'pressbox ready');
    expect(server.stderr()).toContain(`http://localhost:${String(port)}/docs`);
    const token = devToken(server.stderr());
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const teams = await fetch(`${base()}/api/v1/teams?league=NBA&limit=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(teams.status).toBe(200);
    expect(((await teams.json()) as { items: unknown[] }).items).toHaveLength(30);
    expect((await fetch(`${base()}/docs`)).headers.get('content-type')).toMatch(/text\/html/);
    const logLines = server
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('demo data seeded');
    killGroup(server, 'SIGTERM');
    await server.exited;
    await waitUntilDown(`${base()}/healthz`, join(dataDir, 'pglite.lock'), 30_000);
  });

  it('starts again on the same data folder without seeding twice', async () => {
    const server = spawnInRepo('node', ['server/dist/main.js'], { PORT: String(port), PRESSBOX_DATA_DIR: dataDir });
    started.push(server);
    await waitUntilUp(`${base()}/healthz`, 150_000, server);
    await waitForOutput(server, 'pressbox ready');
    expect(server.stdout()).not.toContain('demo data seeded');
  });

  it('`npm run -s token -- <userId>` prints a working token and nothing else', async () => {
    const minted = spawnInRepo('npm', ['run', '-s', 'token', '--', 'user_cli'], { PRESSBOX_DATA_DIR: dataDir });
    expect(await minted.exited).toBe(0);
    expect(minted.stdout()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const me = await fetch(`${base()}/api/v1/me`, { headers: { authorization: `Bearer ${minted.stdout().trim()}` } });
    expect(await me.json()).toMatchObject({ id: 'user_cli' });
  });

  it('finishes in-flight requests on SIGTERM, then exits 0 and stops listening', async () => {
    const server = started.at(-1);
    if (!server) throw new Error('no server running');
    const token = devToken(server.stderr());
    const body = JSON.stringify({ version: 1, timezone: 'Europe/Berlin' });
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/me/preferences',
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        killGroup(server, 'SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    expect(await inFlight).toBe(200);
    expect(await server.exited).toBe(0);
    await expect(fetch(`${base()}/healthz`)).rejects.toThrow();
  });

  it('starts in production with Clerk, and warns when /metrics is left open', async () => {
    const clerk = {
      NODE_ENV: 'production',
      CLERK_PUBLISHABLE_KEY: publishableKeyFor('clerk.pressbox.test'),
      CLERK_JWT_KEY: createClerkKey().publicPem,
      PRESSBOX_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    const open = spawnInRepo('node', ['server/dist/main.js'], { ...clerk, PORT: String(port) });
    started.push(open);
    await waitUntilUp(`${base()}/readyz`, 60_000, open);
    expect((await fetch(`${base()}/api/v1/teams`)).status).toBe(401);
    await waitForOutput(open, 'GET /metrics is open');
    killGroup(open, 'SIGTERM');
    expect(await open.exited).toBe(0);

    const guarded = spawnInRepo('node', ['server/dist/main.js'], { ...clerk, PORT: String(port), PRESSBOX_METRICS_TOKEN: 'a'.repeat(32) });
    started.push(guarded);
    await waitUntilUp(`${base()}/readyz`, 60_000, guarded);
    expect((await fetch(`${base()}/metrics`)).status).toBe(401);
    killGroup(guarded, 'SIGTERM');
    expect(await guarded.exited).toBe(0);
    expect(guarded.stdout()).not.toContain('GET /metrics is open');
  });

  it('refuses to start with a bad setting, naming it, in well under a second of work', async () => {
    const bad = spawnInRepo('node', ['server/dist/main.js'], { PORT: 'eighty', PRESSBOX_DATA_DIR: dataDir });
    expect(await bad.exited).toBe(78);
    expect(bad.stderr()).toMatch(/PORT/);
  });
});
