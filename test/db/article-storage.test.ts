import type { PrismaClient } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, useTestDatabase } from '../support/databases.ts';

describe.each(databaseKinds)('article storage on %s', (kind) => {
  let prisma: PrismaClient;
  useTestDatabase(kind, (test) => {
    prisma = test.db.prisma;
  });

  it.skipIf(!databaseAvailable(kind))(
    'compresses long bodies with lz4 where the server has it (pglz where not) and reads them back as they were stored',
    async () => {
      // This Postgres is built with lz4; PGlite is not.
      const lz4 = await prisma
        .$executeRawUnsafe('CREATE TEMP TABLE "Lz4Probe" ("c" text COMPRESSION lz4)')
        .then(() => true)
        .catch(() => false);
      expect(lz4).toBe(kind === 'postgres');
      const source = await prisma.source.create({ data: { url: `https://storage-${kind}.example/feed.xml`, name: 'Storage' } });
      const contentHtml = Array.from(
        { length: 60 },
        (_, index) => `<p>Paragraph ${String(index)}: the Celtics beat the Knicks in overtime, “again” — €5 tickets.</p>`,
      ).join('');
      const article = await prisma.article.create({
        data: { sourceId: source.id, title: 'Long body', fingerprint: 'f', contentHtml, publishedAt: new Date('2026-12-01T00:00:00Z') },
      });
      const [row] = await prisma.$queryRaw<{ compression: string | null; stored: number; length: number }[]>`
        SELECT pg_column_compression("contentHtml") AS "compression", pg_column_size("contentHtml")::int AS "stored",
               length("contentHtml")::int AS "length"
        FROM "Article" WHERE "id" = ${article.id}::uuid`;
      expect(row?.compression).toBe(lz4 ? 'lz4' : 'pglz');
      expect(row?.stored).toBeLessThan((row?.length ?? 0) / 2);
      const read = await prisma.article.findUniqueOrThrow({ where: { id: article.id }, select: { contentHtml: true } });
      expect(read.contentHtml).toBe(contentHtml);
    },
  );
});
