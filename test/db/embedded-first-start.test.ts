import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, Prisma } from '@pressbox/db';
import { describe, expect, it } from 'vitest';

describe('the embedded database on its very first start', () => {
  it('takes arrays of the enums its migrations just created (feed ingestion tags articles this way)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-first-start-'));
    const db = await openDatabase({ dataDir });
    try {
      expect(db.migrations.applied.length).toBeGreaterThan(0);
      const rows = await db.prisma.$queryRaw<{ values: string[] }[]>(Prisma.sql`SELECT ${['SOURCE', 'ALIAS']}::"MatchedBy"[] AS "values"`);
      expect(rows[0]?.values).toEqual(['SOURCE', 'ALIAS']);
    } finally {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
