import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateDevKey, mintDevToken } from '@pressbox/server';
import { freePort, killGroup, repoRoot, spawnInRepo, waitUntilDown, waitUntilUp, type Spawned } from '../support/process.ts';

const run = promisify(execFile);

export interface PackedTarball {
  name: string;
  /** Absolute path of the `.tgz`. */
  file: string;
  bytes: number;
}

/**
 * `npm pack` of a folder into `destination`: a workspace package as it would be published, or a
 * third-party package from the repository's own install (so nothing is downloaded).
 */
export async function pack(folder: string, destination: string): Promise<PackedTarball> {
  const { stdout } = await run('npm', ['pack', folder, '--pack-destination', destination, '--json', '--ignore-scripts'], {
    cwd: destination,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as { name: string; filename: string }[];
  if (!packed) throw new Error(`npm pack ${folder} printed nothing`);
  const file = join(destination, packed.filename);
  return { name: packed.name, file, bytes: (await stat(file)).size };
}

/**
 * A project outside the repository: `package.json` depending on these tarballs only, the
 * fixture's sources copied in, and `npm install --offline` run (every tarball is local).
 */
export async function installProject(
  dir: string,
  fixture: string,
  tarballs: readonly PackedTarball[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  await cp(fixture, dir, { recursive: true, filter: (source) => !source.includes('node_modules') && !source.endsWith('/dist') });
  const dependencies = Object.fromEntries(tarballs.map((tarball) => [tarball.name, `file:${tarball.file}`]));
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'pressbox-consumer', private: true, type: 'module', dependencies, ...extra }, null, 2)}\n`,
  );
  // Peers beyond the tarballs (TypeScript, which @trpc/client names) are not installed: the
  // repository's compiler checks the project.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Every package installed under `node_modules` of `dir`, by name. */
export async function installedPackages(dir: string): Promise<string[]> {
  const names: string[] = [];
  const walk = async (folder: string, scope = ''): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      if (entry.name.startsWith('.')) continue;
      if (!scope && entry.name.startsWith('@')) {
        await walk(join(folder, entry.name), entry.name);
        continue;
      }
      const name = scope ? `${scope}/${entry.name}` : entry.name;
      names.push(name);
      await walk(join(folder, entry.name, 'node_modules'));
    }
  };
  await walk(join(dir, 'node_modules'));
  return names.sort();
}

/** Runs the repository's TypeScript compiler on a project; resolves with its output and exit code. */
export async function compileProject(dir: string): Promise<{ code: number; output: string }> {
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  try {
    const { stdout } = await run(process.execPath, [tsc, '-p', dir], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

export interface PressboxProcess {
  url: string;
  dataDir: string;
  token(userId: string): string;
  /** Stops the process (SIGTERM) and waits until the port and the data folder are free. */
  stop(): Promise<void>;
  /** Starts it again on the same port over the same data folder. */
  restart(): Promise<void>;
}

const issuer = 'https://pressbox.dev.local';

/**
 * `npm start` as a user runs it, as a child process: the embedded database in `dataDir`, dev
 * auth. Restartable on the same port and data, as a deploy or crash recovery would.
 */
export async function startPressboxProcess(dataDir: string, env: Record<string, string> = {}): Promise<PressboxProcess> {
  await mkdir(dataDir, { recursive: true });
  const key = await loadOrCreateDevKey(dataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  let spawned: Spawned | undefined;
  const start = async () => {
    spawned = spawnInRepo(process.execPath, ['--conditions=@pressbox/source', '--import', 'tsx', 'server/src/main.ts'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      PRESSBOX_DATA_DIR: dataDir,
      PRESSBOX_SEED: 'none',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...env,
    });
    await waitUntilUp(`${url}/readyz`, 60_000, spawned);
  };
  const stop = async () => {
    if (!spawned) return;
    killGroup(spawned, 'SIGTERM');
    await spawned.exited;
    await waitUntilDown(`${url}/healthz`, join(dataDir, 'pglite.lock'), 30_000);
    spawned = undefined;
  };
  await start();
  return {
    url,
    dataDir,
    token: (userId) => mintDevToken(key, { userId, issuer }),
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
