import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from '@pressbox/test/support/process.ts';
import { record } from './lib/report.ts';
import { mean, round } from './lib/stats.ts';

/*
 * Start-up time of the built server (`node server/dist/main.js`, what `npm start` runs after its
 * cached build) with no configuration: from spawn to the first 200 of /healthz, on an empty data
 * folder (create PGlite, migrate, upsert teams, seed the demo) and again on the same folder.
 * Run `npm run build` first.
 */

const runs = process.env.BENCH_QUICK === '1' ? 1 : 3;

async function timeToReady(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), PRESSBOX_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${String(child.exitCode)}`);
      const ok = await fetch(`http://127.0.0.1:${String(port)}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const empty: number[] = [];
const second: number[] = [];
for (let run = 0; run < runs; run++) {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-startup-'));
  try {
    empty.push(await timeToReady(dataDir));
    second.push(await timeToReady(dataDir));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await record({
  name: 'startup',
  title: 'Start-up time with no configuration',
  method: `node server/dist/main.js with only PORT and PRESSBOX_DATA_DIR set, timed from spawn to the first 200 of /healthz; ${String(runs)} runs on a fresh empty data folder, each followed by a second start on the same folder. \`npm start\` adds its cached turbo build check (about 1-2 s).`,
  metrics: {
    emptyDataDirMs: { mean: round(mean(empty), 0), runs: empty.map((value) => round(value, 0)) },
    secondStartMs: { mean: round(mean(second), 0), runs: second.map((value) => round(value, 0)) },
  },
  targets: [],
});
