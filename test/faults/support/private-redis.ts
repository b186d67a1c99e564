import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/process.ts';

/** A redis-server of its own, with AOF persistence, that a test may stop and start again. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: it writes its AOF and exits); resolves once the port is closed. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  destroy(): Promise<void>;
}

/** Starts `redis-server` on a free port with `appendonly yes` in a temporary directory. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'pressbox-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    child = started;
    await untilPort(port, true, 10_000);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      running.once('exit', () => {
        resolve();
      }),
    );
    running.kill('SIGTERM');
    await exited;
    await untilPort(port, false, 10_000);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    port,
    stop,
    start,
    destroy: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once a TCP connection to the port succeeds (`open`) or is refused (`!open`). */
export async function untilPort(port: number, open: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (accepted === open) return;
    if (Date.now() > deadline)
      throw new Error(`port ${String(port)} did not become ${open ? 'open' : 'closed'} in ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
