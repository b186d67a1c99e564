import { openDatabase } from '@pressbox/db';
import { parseFeed } from '@pressbox/jobs';
import { createScratchPostgres } from '@pressbox/test/support/databases.ts';
import pg from 'pg';
import { processCpuMs } from './lib/cpu.ts';
import { generateFeed } from './lib/feeds.ts';
import { record } from './lib/report.ts';
import { percentiles, round } from './lib/stats.ts';

/*
 * What compressing article bodies costs Postgres: the sanitized `contentHtml` of the ingest
 * bench's generated feeds, inserted 100 at a time (as storing does) into a one-column table
 * compressed with pglz, with lz4, or not at all, taking turns; the backend's CPU from
 * /proc/<pid>/stat. Also which method the migrations gave "Article"."contentHtml" on this server.
 */

const ROUNDS = 8;
const FEEDS = 20;
const REPEATS = 3;
const methods = ['pglz', 'lz4', 'none'] as const;

const bodies = Array.from({ length: FEEDS }, (_, index) => {
  const feed = generateFeed(index, 100, 'a');
  return parseFeed(feed.xml, { baseUrl: feed.url, fetchedAt: new Date() }).items.map((item) => item.contentHtml ?? '');
});
const rows = FEEDS * 100 * REPEATS;

const scratch = await createScratchPostgres('pressbox_bench_compression');
try {
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 1 });
  await db.close();
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    const [{ pid } = { pid: 0 }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    const [{ method: articleMethod } = { method: '' }] = (
      await client.query<{ method: string }>(
        `SELECT CASE attcompression WHEN 'l' THEN 'lz4' WHEN 'p' THEN 'pglz' ELSE 'default' END AS method
         FROM pg_attribute WHERE attrelid = '"Article"'::regclass AND attname = 'contentHtml'`,
      )
    ).rows;
    const cpu: Record<(typeof methods)[number], number[]> = { pglz: [], lz4: [], none: [] };
    const wall: Record<(typeof methods)[number], number[]> = { pglz: [], lz4: [], none: [] };
    const stored: Record<string, number> = {};
    for (let turn = 0; turn < ROUNDS; turn++) {
      for (const method of methods) {
        await client.query('DROP TABLE IF EXISTS bodies');
        await client.query(`CREATE TABLE bodies (html text ${method === 'none' ? '' : `COMPRESSION ${method}`})`);
        if (method === 'none') await client.query('ALTER TABLE bodies ALTER COLUMN html SET STORAGE EXTERNAL');
        const cpuBefore = await processCpuMs(pid);
        const started = performance.now();
        for (let repeat = 0; repeat < REPEATS; repeat++) {
          for (const batch of bodies) {
            await client.query({
              name: `bodies_${method}_${String(turn)}`,
              text: 'INSERT INTO bodies SELECT * FROM unnest($1::text[])',
              values: [batch],
            });
          }
        }
        wall[method].push(((performance.now() - started) / rows) * 1000);
        cpu[method].push((((await processCpuMs(pid)) - cpuBefore) / rows) * 1000);
        const [size] = (await client.query<{ bytes: number }>('SELECT avg(pg_column_size(html))::float8 AS bytes FROM bodies')).rows;
        stored[method] = round(size?.bytes ?? 0, 0);
      }
    }
    const perRow = (values: number[]) => round(percentiles(values, [50]).p50 ?? Number.NaN, 1);
    await record({
      name: 'article-compression',
      title: 'Compressing article bodies: Postgres CPU per stored article',
      method:
        `The sanitized contentHtml of ${String(FEEDS)} generated feeds × 100 items (the ingest bench's), inserted 100 per statement ` +
        `(INSERT … SELECT FROM unnest) ${String(REPEATS)} times into a one-column table compressed with pglz, with lz4, or not at all ` +
        `(STORAGE EXTERNAL), taking turns, ${String(ROUNDS)} rounds; medians. Backend CPU from /proc/<pid>/stat (10 ms ticks over ` +
        `${String(rows)} rows per figure). "articleContentHtml" is the method the migrations gave "Article"."contentHtml" on this server.`,
      metrics: {
        bodyChars: round(bodies.flat().reduce((total, body) => total + body.length, 0) / (FEEDS * 100), 0),
        articleContentHtml: articleMethod,
        backendCpuMicrosecondsPerRow: { pglz: perRow(cpu.pglz), lz4: perRow(cpu.lz4), none: perRow(cpu.none) },
        wallMicrosecondsPerRow: { pglz: perRow(wall.pglz), lz4: perRow(wall.lz4), none: perRow(wall.none) },
        storedBytesPerRow: stored,
      },
      targets: [],
    });
  } finally {
    await client.end();
  }
} finally {
  await scratch.drop();
}
