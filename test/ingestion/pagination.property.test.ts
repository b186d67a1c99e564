import { listNews, type NewsQuery, type PrismaClient } from '@pressbox/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';

const base = Date.parse('2024-05-01T12:00:00Z');
const teamA = 'nba-bos';
const teamB = 'nba-nyk';

interface Insert {
  kind: 'insert';
  /** Minutes from `base`: a small range, so many articles share a publishedAt. */
  minute: number;
  /** Random high bits of the id, so ties are broken by ids in no particular insertion order. */
  idBits: number;
  teams: 'A' | 'B' | 'AB';
}

interface Read {
  kind: 'read';
}

const insertArbitrary: fc.Arbitrary<Insert> = fc.record({
  kind: fc.constant('insert' as const),
  minute: fc.integer({ min: -20, max: 20 }),
  idBits: fc.integer({ min: 0, max: 0xffffffff }),
  teams: fc.constantFrom('A' as const, 'B' as const, 'AB' as const),
});

const scenarioArbitrary = fc.record({
  scope: fc.constantFrom('team' as const, 'feed' as const),
  limit: fc.integer({ min: 1, max: 6 }),
  initial: fc.array(insertArbitrary, { minLength: 0, maxLength: 24 }),
  steps: fc.array(fc.oneof<[fc.Arbitrary<Insert>, fc.Arbitrary<Read>]>(insertArbitrary, fc.constant<Read>({ kind: 'read' })), {
    maxLength: 30,
  }),
});

interface Row {
  id: string;
  publishedAt: number;
  teams: string[];
}

/** Newest first, ties by id descending: the order every page must follow. */
function before(a: Row, b: Row): boolean {
  return a.publishedAt > b.publishedAt || (a.publishedAt === b.publishedAt && a.id > b.id);
}

describe('news pagination while articles keep arriving (property, PGlite)', () => {
  let test: TestDatabase;
  let prisma: PrismaClient;
  let sourceId: string;

  beforeAll(async () => {
    test = await openTestDatabase('pglite');
    prisma = test.db.prisma;
    sourceId = (await prisma.source.create({ data: { url: 'https://property.example.org/feed.xml', name: 'Property' } })).id;
  });

  afterAll(async () => {
    await test.close();
  });

  async function insert(step: Insert, index: number): Promise<Row> {
    const id = `${step.idBits.toString(16).padStart(8, '0')}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
    const publishedAt = new Date(base + step.minute * 60_000);
    const teams = step.teams === 'AB' ? [teamA, teamB] : [step.teams === 'A' ? teamA : teamB];
    await prisma.article.create({
      data: {
        id,
        sourceId,
        title: `Article ${String(index)}`,
        fingerprint: id,
        publishedAt,
        updatedAt: publishedAt,
        teams: { create: teams.map((teamId) => ({ teamId, matchedBy: 'SOURCE' as const, publishedAt })) },
      },
    });
    return { id, publishedAt: publishedAt.getTime(), teams };
  }

  it('yields every article that existed at the first page exactly once, newest first with ties broken by id', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ scope, limit, initial, steps }) => {
        await prisma.article.deleteMany({});
        const rows = new Map<string, Row>();
        let inserted = 0;
        for (const step of initial) {
          const row = await insert(step, inserted++);
          rows.set(row.id, row);
        }
        const inScope = (row: Row) => (scope === 'team' ? row.teams.includes(teamA) : true);
        const query: Omit<NewsQuery, 'cursor'> = {
          scope: scope === 'team' ? { teamId: teamA } : { teamIds: [teamA, teamB] },
          sort: 'newest',
          limit,
        };
        const read = async (cursor: string | undefined) => {
          const page = await listNews(test.db.sql, { ...query, cursor });
          return { ids: page.items.map((item) => item.id), nextCursor: page.nextCursor };
        };

        const existing = [...rows.values()].filter(inScope).map((row) => row.id);
        const yielded: string[] = [];
        let page = await read(undefined);
        yielded.push(...page.ids);
        const pending = [...steps];
        // Each page holds at least one row, so a walk that reads more pages than rows never ends.
        const maxReads = initial.length + steps.length + 2;
        let reads = 1;
        while (page.nextCursor !== null) {
          if (reads > maxReads) throw new Error(`the cursor walk did not end after ${String(reads)} pages`);
          const step = pending.shift() ?? { kind: 'read' };
          if (step.kind === 'insert') {
            const row = await insert(step, inserted++);
            rows.set(row.id, row);
            continue;
          }
          page = await read(page.nextCursor);
          reads += 1;
          yielded.push(...page.ids);
        }

        expect(new Set(yielded).size).toBe(yielded.length);
        expect(yielded).toEqual(expect.arrayContaining(existing));
        const ordered = yielded.map((id) => rows.get(id));
        for (let index = 1; index < ordered.length; index++) {
          const previous = ordered[index - 1];
          const current = ordered[index];
          if (!previous || !current) throw new Error('a listed id was never inserted');
          expect(before(previous, current), `${previous.id} must come before ${current.id}`).toBe(true);
        }
        expect(ordered.every((row) => row !== undefined && inScope(row))).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
