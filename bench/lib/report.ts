import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

export interface BenchResult {
  /** Short id, also the file name: `bench/results/<name>.json`. */
  name: string;
  title: string;
  /** What was measured, how, on what data. */
  method: string;
  /** The numbers, flat or nested, in the units their keys say (…Ms, …PerSecond, …Bytes). */
  metrics: Record<string, unknown>;
  /** Targets from the issue, with whether this run met them. */
  targets: { description: string; met: boolean }[];
}

/** Records a benchmark's result with the machine it ran on, and rewrites RESULTS.md. */
export async function record(result: BenchResult): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const entry = {
    ...result,
    recordedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
  };
  await writeFile(`${resultsDir}${result.name}.json`, `${JSON.stringify(entry, null, 2)}\n`);
  await writeSummary();
  process.stdout.write(`${JSON.stringify(entry, null, 2)}\n`);
}

/** `bench/results/<name>.notes.md`, written by hand after a run (what the numbers mean, why a target is unmet), if there is one. */
async function notesOf(name: string): Promise<string[]> {
  const notes = await readFile(`${resultsDir}${name}.notes.md`, 'utf8').catch(() => undefined);
  return notes === undefined ? [] : [notes.trim(), ''];
}

/** Rebuilds RESULTS.md from every recorded result and its notes (`npm run bench -- --results` runs only this). */
export async function writeSummary(): Promise<void> {
  const files = (await readdir(resultsDir)).filter((file) => file.endsWith('.json')).sort();
  const sections: string[] = ['# Benchmark results', '', 'Written by `npm run bench`; each section is the last run of one benchmark.', ''];
  for (const file of files) {
    const entry = JSON.parse(await readFile(`${resultsDir}${file}`, 'utf8')) as BenchResult & {
      recordedAt: string;
      machine: Record<string, unknown>;
    };
    sections.push(
      `## ${entry.title}`,
      '',
      `Recorded ${entry.recordedAt} on ${JSON.stringify(entry.machine)}.`,
      '',
      entry.method,
      '',
      '```json',
      JSON.stringify(entry.metrics, null, 2),
      '```',
      '',
      ...entry.targets.map((target) => `- ${target.met ? 'met' : 'NOT met'}: ${target.description}`),
      '',
      ...(await notesOf(entry.name)),
    );
  }
  await writeFile(`${resultsDir}RESULTS.md`, sections.join('\n'));
}
