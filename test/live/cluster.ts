import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDevKey, mintDevToken } from '@pressbox/server';
import { createScratchPostgres, type ScratchPostgres } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { freePort, killGroup, spawnInRepo, waitUntilUp, type Spawned } from '../support/process.ts';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.ts';
import { until } from './support.ts';

export interface ApiProcess {
  url: string;
  spawned: Spawned;
  /** Resident memory of the process now, in bytes (from /proc). */
  rssBytes(): Promise<number>;
}

export interface Cluster {
  apis: ApiProcess[];
  worker: Spawned | undefined;
  /** Redis prefix every process of the cluster shares. */
  prefix: string;
  databaseUrl: string;
  /** A dev session token every process accepts (they share the data folder's signing key). */
  token(userId: string, options?: { ttlSeconds?: number }): string;
  /** `fetch` against one API process, with a Bearer token for `as`. */
  fetch(api: ApiProcess, path: string, init?: RequestInit & { as?: string }): Promise<Response>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  apis: number;
  worker: boolean;
  env?: Record<string, string>;
  /** Node flags for the API processes (e.g. --cpu-prof, which NODE_OPTIONS does not take). */
  apiNodeArgs?: readonly string[];
}

const issuer = 'https://pressbox.dev.local';

/** Resident set size of a process in bytes, from /proc/<pid>/status. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

/**
 * Pressbox as production runs it: API processes and a worker process started with
 * `server/src/main.ts --role=…`, sharing a scratch Postgres database, the real Redis under a
 * private prefix, and one data folder (so they share the dev signing key).
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-live-'));
  const key = await loadOrCreateDevKey(dataDir);
  const scratch: ScratchPostgres = await createScratchPostgres('pressbox_live');
  const prefix = uniquePrefix('pbtlive');
  const common: Record<string, string> = {
    DATABASE_URL: scratch.url,
    REDIS_URL: redisUrl,
    PRESSBOX_REDIS_PREFIX: prefix,
    PRESSBOX_DATA_DIR: dataDir,
    PRESSBOX_SEED: 'none',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const start = (role: 'api' | 'worker', env: Record<string, string>) =>
    spawnInRepo(
      process.execPath,
      [
        ...(role === 'api' ? (options.apiNodeArgs ?? []) : []),
        '--conditions=@pressbox/source',
        '--import',
        'tsx',
        'server/src/main.ts',
        `--role=${role}`,
      ],
      {
        ...common,
        ...env,
      },
    );

  const started: Spawned[] = [];
  const stopAll = async () => {
    for (const spawned of started) killGroup(spawned, 'SIGTERM');
    const exited = Promise.all(started.map((spawned) => spawned.exited));
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        resolve('late');
      }, 15_000);
    });
    if ((await Promise.race([exited, patience])) === 'late') for (const spawned of started) killGroup(spawned, 'SIGKILL');
    clearTimeout(timer);
    await exited;
    const redis = connectTestRedis('live-cleanup');
    await deleteKeys(redis, prefix);
    await redis.quit();
    await scratch.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // The first process applies the migrations; the others start once the schema is there.
    const first = await freePort();
    const firstApi = start('api', { PORT: String(first) });
    started.push(firstApi);
    const urls = [`http://127.0.0.1:${String(first)}`];
    await waitUntilUp(`${urls[0] ?? ''}/readyz`, 90_000, firstApi);
    const rest = await Promise.all(
      Array.from({ length: options.apis - 1 }, async () => {
        const port = await freePort();
        const spawned = start('api', { PORT: String(port) });
        started.push(spawned);
        const url = `http://127.0.0.1:${String(port)}`;
        await waitUntilUp(`${url}/readyz`, 90_000, spawned);
        return { url, spawned };
      }),
    );
    let worker: Spawned | undefined;
    if (options.worker) {
      worker = start('worker', { LOG_LEVEL: 'info' });
      started.push(worker);
      const spawnedWorker = worker;
      await until(
        () => {
          if (spawnedWorker.child.exitCode !== null) throw new Error(`the worker exited: ${spawnedWorker.stderr()}`);
          return spawnedWorker.stdout().includes('"msg":"pressbox ready"');
        },
        90_000,
        'the worker to be ready',
      );
    }
    const apis: ApiProcess[] = [{ url: urls[0] ?? '', spawned: firstApi }, ...rest].map(({ url, spawned }) => ({
      url,
      spawned,
      rssBytes: () => rssOf(spawned.child.pid ?? 0),
    }));
    const token = (userId: string, tokenOptions: { ttlSeconds?: number } = {}) => mintDevToken(key, { userId, issuer, ...tokenOptions });
    return {
      apis,
      worker,
      prefix,
      databaseUrl: scratch.url,
      token,
      fetch: (api, path, init = {}) => {
        const { as, ...rest } = init;
        const headers = new Headers(rest.headers);
        if (as) headers.set('authorization', `Bearer ${token(as)}`);
        return fetch(`${api.url}${path}`, { ...rest, headers });
      },
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
