import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseKind } from '@pressbox/db';
import {
  createLogger,
  loadConfig,
  mintDevToken,
  startPressbox,
  type AppRouter,
  type Clock,
  type Config,
  type RunningPressbox,
} from '@pressbox/server';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { createScratchPostgres, pgliteFromSnapshot, type ScratchPostgres } from './databases.ts';
import { redisUrl } from './environment.ts';
import { connectTestRedis, deleteKeys } from './redis.ts';

export interface TestAppOptions {
  database?: DatabaseKind;
  redis?: boolean;
  env?: Record<string, string>;
  role?: 'all' | 'api' | 'worker';
  /** Adjusts the parsed configuration, for settings no environment variable carries. */
  configure?: (config: Config) => Config;
  /** The time the app judges session tokens by; `token()` mints against it too. */
  clock?: Clock;
  /** Where the app's log lines go (with `LOG_LEVEL` in `env`); nowhere by default. */
  logDestination?: NodeJS.WritableStream;
}

export interface TestApp {
  url: string;
  running: RunningPressbox;
  dataDir: string;
  redisPrefix: string;
  /** The embedded database behind the app, when it is PGlite (to inject faults). */
  pglite: PGlite | undefined;
  /** A dev-mode session token for this user, issued at the app's clock time unless `now` is given. */
  token(userId: string, options?: { ttlSeconds?: number; now?: number }): string;
  /** fetch against the app, with a Bearer token for `as` when given. */
  fetch(path: string, init?: RequestInit & { as?: string }): Promise<Response>;
  trpc(userId: string): TRPCClient<AppRouter>;
  close(): Promise<void>;
}

/**
 * Starts a real Pressbox API on an ephemeral port, in dev auth mode, over a private database
 * (a PGlite snapshot or a scratch Postgres) and, when asked, the real Redis under a private prefix.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-app-'));
  const redisPrefix = `pbt${randomBytes(5).toString('hex')}`;
  let scratch: ScratchPostgres | undefined;
  let pglite: PGlite | undefined;
  if (options.database === 'postgres') scratch = await createScratchPostgres();
  else pglite = await pgliteFromSnapshot();
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    PRESSBOX_DATA_DIR: dataDir,
    PRESSBOX_SEED: 'none',
    PRESSBOX_REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...(options.redis ? { REDIS_URL: redisUrl } : {}),
    ...options.env,
  };
  const parsed = loadConfig(env);
  const config = options.configure ? options.configure(parsed) : parsed;
  const running = await startPressbox(config, createLogger(config.logLevel, options.logDestination), options.role ?? 'all', {
    ...(pglite ? { pglite } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const url = running.url ?? '';
  const token = (userId: string, tokenOptions: { ttlSeconds?: number; now?: number } = {}) => {
    const key = running.services.devKey;
    if (!key || config.auth.mode !== 'dev') throw new Error('token() needs dev auth mode');
    return mintDevToken(key, {
      userId,
      issuer: config.auth.issuer,
      ...(options.clock ? { now: options.clock.now() } : {}),
      ...tokenOptions,
    });
  };
  return {
    url,
    running,
    dataDir,
    redisPrefix,
    pglite,
    token,
    fetch: async (path, init = {}) => {
      const { as, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('authorization', `Bearer ${token(as)}`);
      return fetch(`${url}${path}`, { ...rest, headers });
    },
    trpc: (userId) => {
      const bearer = token(userId);
      return createTRPCClient<AppRouter>({
        links: [httpLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${bearer}` } })],
      });
    },
    close: async () => {
      await running.stop(1_000);
      if (pglite && !pglite.closed) await pglite.close();
      if (options.redis) {
        const redis = connectTestRedis('cleanup');
        await deleteKeys(redis, `${redisPrefix}:`);
        redis.disconnect();
      }
      await scratch?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
