import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { until } from './waiting.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The exit code, once the process has exited and its output has been read to the end. */
  exited: Promise<number | null>;
}

/**
 * Spawns a command in the repository with only the given environment (plus PATH and HOME), in
 * its own process group so `killGroup` also reaches what npm started.
 */
export function spawnInRepo(command: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // 'close', not 'exit': it comes after the output pipes are drained, so `stdout()` then holds
  // every line the process wrote before it died.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      resolve(code);
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Resolves once a spawned process has written `text` to stdout. Pressbox logs asynchronously, so a
 * line may follow the moment its server already answers.
 */
export function waitForOutput(spawned: Spawned, text: string, timeoutMs = 5_000): Promise<void> {
  return until(() => spawned.stdout().includes(text), timeoutMs, `"${text}" in the output`);
}

/** Sends a signal to the whole process group of a spawned command. */
export function killGroup(spawned: Spawned, signal: NodeJS.Signals): void {
  if (spawned.child.pid === undefined) return;
  try {
    process.kill(-spawned.child.pid, signal);
  } catch {
    // already gone
  }
}

/** Polls `url` until it answers 200 or the deadline passes; returns the ms it took. */
export async function waitUntilUp(url: string, timeoutMs: number, spawned?: Spawned): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (spawned?.child.exitCode !== null && spawned?.child.exitCode !== undefined) {
      throw new Error(`process exited with ${String(spawned.child.exitCode)}: ${spawned.stderr()}`);
    }
    try {
      const response = await fetch(url);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up within ${String(timeoutMs)} ms${spawned ? `: ${spawned.stderr()}` : ''}`);
}

/** Waits until nothing answers at `url` any more and the data folder's lock is released. */
export async function waitUntilDown(url: string, lockFile: string, timeoutMs: number): Promise<void> {
  const { existsSync } = await import('node:fs');
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const answering = await fetch(url).then(
      () => true,
      () => false,
    );
    if (!answering && !existsSync(lockFile)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} still answers after ${String(timeoutMs)} ms`);
}
