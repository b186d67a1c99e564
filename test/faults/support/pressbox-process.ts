import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, spawnInRepo, type Spawned } from '../../support/process.ts';

export interface PressboxProcess extends Spawned {
  /** Resolves when the process logged that it is ready. */
  ready: Promise<void>;
}

/**
 * `server/src/main.ts` in its own process (source through tsx, as in development) with the given
 * role and environment, in its own process group.
 */
export async function spawnPressbox(role: 'all' | 'api' | 'worker', env: Record<string, string>): Promise<PressboxProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-fault-'));
  const spawned = spawnInRepo(
    process.execPath,
    ['--conditions=@pressbox/source', '--import', 'tsx', 'server/src/main.ts', `--role=${role}`],
    {
      PRESSBOX_DATA_DIR: dataDir,
      PRESSBOX_SEED: 'none',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      FEED_ALLOW_PRIVATE_NETWORKS: 'true',
      ...env,
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (spawned.stdout().includes('"pressbox ready"')) resolve();
    };
    spawned.child.stdout?.on('data', onData);
    void spawned.exited.then((code) => {
      reject(new Error(`Pressbox exited with ${String(code)} before it was ready: ${spawned.stderr()}${spawned.stdout()}`));
    });
  });
  ready.catch(() => undefined);
  return { ...spawned, ready };
}

/** SIGKILL to the process group; resolves once the process is gone. */
export async function killNow(spawned: Spawned): Promise<void> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return;
  killGroup(spawned, 'SIGKILL');
  await spawned.exited;
}

/** The time (epoch ms) of the first JSON log line with this message (and job id) at or after `notBefore`. */
export function loggedAt(spawned: Spawned, message: string, jobId?: string, notBefore = 0): number | undefined {
  for (const line of spawned.stdout().split('\n')) {
    const entry = parseLogLine(line);
    if (!entry || entry.msg !== message || (jobId !== undefined && entry.jobId !== jobId) || typeof entry.time !== 'string') continue;
    const at = Date.parse(entry.time);
    if (at >= notBefore) return at;
  }
  return undefined;
}

/** A JSON log line, or undefined for anything else (including the unfinished last line of a chunk). */
function parseLogLine(line: string): { msg?: unknown; time?: unknown; jobId?: unknown } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as { msg?: unknown; time?: unknown; jobId?: unknown };
  } catch {
    return undefined;
  }
}
