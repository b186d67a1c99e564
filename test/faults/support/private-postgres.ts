import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../support/process.ts';
import { untilPort } from './private-redis.ts';

const run = promisify(execFile);

/** A Postgres cluster of its own (initdb + pg_ctl in a temporary directory) that a test may restart. */
export interface PrivatePostgres {
  /** URL of the database `pressbox` in the cluster. */
  url: string;
  port: number;
  /** Fast shutdown (every session is disconnected); resolves once the port is closed. */
  stop(): Promise<void>;
  /** Starts the cluster again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Ends every session of other processes on the database (pg_terminate_backend). */
  terminateSessions(): Promise<number>;
  destroy(): Promise<void>;
}

/** Directory of the server binaries: PG_BIN, else the first installed major under /usr/lib/postgresql. */
async function binDir(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const { stdout } = await run('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1']);
  return stdout.trim();
}

/** initdb and the server refuse to run as root: as root, run them as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'pressbox-pg-'));
  if (process.getuid?.() === 0)
    await chown(dir, Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout));
  const bin = await binDir();
  const port = await freePort();
  const data = join(dir, 'data');
  await run(...asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']));
  const pgCtl = (args: string[]) => run(...asServerUser(join(bin, 'pg_ctl'), ['-D', data, ...args]));
  const start = async () => {
    await pgCtl(['-o', `-p ${String(port)} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
    await untilPort(port, true, 10_000);
  };
  const stop = async () => {
    await pgCtl(['-m', 'fast', '-w', 'stop']);
    await untilPort(port, false, 10_000);
  };
  await start();
  const admin = `postgresql://postgres@127.0.0.1:${String(port)}/postgres`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query('CREATE DATABASE pressbox');
  await client.end();
  return {
    url: `postgresql://postgres@127.0.0.1:${String(port)}/pressbox`,
    port,
    start,
    stop,
    async terminateSessions() {
      const session = new pg.Client({ connectionString: admin });
      await session.connect();
      try {
        const result = await session.query<{ ended: boolean }>(
          "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = 'pressbox' AND pid <> pg_backend_pid()",
        );
        return result.rows.filter((row) => row.ended).length;
      } finally {
        await session.end();
      }
    },
    async destroy() {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
