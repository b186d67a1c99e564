import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench` runs every `bench/*.bench.ts` in turn (each in its own process, so one's load
 * does not skew the next); `npm run bench -- news` runs those whose name contains "news";
 * `npm run bench -- --results` only rebuilds RESULTS.md from the recorded results and their notes.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
if (filter === '--results') {
  const { writeSummary } = await import('./lib/report.ts');
  await writeSummary();
  process.exit(0);
}
const { spawnSync } = await import('node:child_process');
const files = (await readdir(here)).filter((file) => file.endsWith('.bench.ts') && (!filter || file.includes(filter))).sort();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const run = spawnSync(process.execPath, ['--conditions=@pressbox/source', '--import', 'tsx', `${here}${file}`], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
