import { randomUUID } from 'node:crypto';
import { openDatabase } from '@pressbox/db';
import { createScratchPostgres } from '@pressbox/test/support/databases.ts';
import pg from 'pg';
import { record } from './lib/report.ts';
import { round } from './lib/stats.ts';

/*
 * What the driver costs a feed store: the bulk Article insert of storing (one INSERT … SELECT FROM
 * unnest of 13 column arrays per 100 articles) sent through Prisma's `$queryRaw` and through a
 * bare `pg` client with the same statement and values, taking turns, into a scratch Postgres 15
 * database. Node CPU per article from `process.cpuUsage`.
 */

const ROUNDS = 6;
const BATCHES = 20;
const ROWS = 100;

const insert = `INSERT INTO "Article" ("id", "sourceId", "title", "url", "canonicalUrl", "fingerprint", "storyId", "author", "summary", "contentHtml", "publishedAt", "fetchedAt", "updatedAt")
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[])
  ON CONFLICT DO NOTHING RETURNING "id"::text AS "id"`;

const html = `<p>${'Lorem ipsum dolor "sit" amet, consectetur adipiscing elit. '.repeat(60)}</p>`;

function columns(sourceId: string): unknown[][] {
  const now = new Date().toISOString();
  const rows = Array.from({ length: ROWS }, (_, index) => [
    randomUUID(),
    sourceId,
    `Headline ${String(index)} ${randomUUID()}`,
    `https://example.com/${randomUUID()}`,
    `https://example.com/${randomUUID()}`,
    randomUUID(),
    null,
    'Reporter',
    `${'word '.repeat(50)}${randomUUID()}`,
    html,
    now,
    now,
    now,
  ]);
  return Array.from({ length: 13 }, (_, column) => rows.map((row) => row[column]));
}

const scratch = await createScratchPostgres('pressbox_bench_store_driver');
try {
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 2 });
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    const source = await db.prisma.source.create({ data: { url: 'https://example.com/feed', name: 'Bench', status: 'PAUSED' } });
    const variants = {
      prisma: (values: unknown[][]) => db.prisma.$queryRawUnsafe<{ id: string }[]>(insert, ...values),
      pg: async (values: unknown[][]) => (await client.query<{ id: string }>(insert, values)).rows,
    };
    const cpuUsPerArticle: Record<keyof typeof variants, number[]> = { prisma: [], pg: [] };
    for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
      const order: (keyof typeof variants)[] = roundIndex % 2 === 0 ? ['prisma', 'pg'] : ['pg', 'prisma'];
      for (const name of order) {
        const batches = Array.from({ length: BATCHES }, () => columns(source.id));
        const before = process.cpuUsage();
        for (const batch of batches) if ((await variants[name](batch)).length !== ROWS) throw new Error('rows went missing');
        const cpu = process.cpuUsage(before);
        if (roundIndex > 0) cpuUsPerArticle[name].push((cpu.user + cpu.system) / (BATCHES * ROWS));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    const prisma = round(median(cpuUsPerArticle.prisma), 1);
    const bare = round(median(cpuUsPerArticle.pg), 1);
    await record({
      name: 'store-driver',
      title: "The driver's share of a feed store: the bulk Article insert through Prisma $queryRaw and through bare pg",
      method:
        `${String(BATCHES)} statements of ${String(ROWS)} articles (about 3.6 KiB of HTML each) per variant and round, ${String(ROUNDS)} rounds ` +
        '(the first a warm-up), the variants taking turns to go first; node CPU per article (µs, median round).',
      metrics: { prismaCpuUsPerArticle: prisma, pgCpuUsPerArticle: bare, prismaOverPg: round(prisma / bare) },
      targets: [],
    });
  } finally {
    await client.end();
    await db.close();
  }
} finally {
  await scratch.drop();
}
