import { randomBytes } from 'node:crypto';
import type { PrismaClient, Database } from '@pressbox/db';
import { parseFeed, storeFeedItems, type StoreSource } from '@pressbox/jobs';
import { describe, expect, it } from 'vitest';
import { heldOutStoryPairs, storyPairs, type StoryPair } from '../../jobs/src/stories/fixtures.ts';
import { databaseAvailable, databaseKinds, useTestDatabase } from '../support/databases.ts';

const fetchedAt = new Date('2025-06-01T12:00:00Z');
/** Pairs are published a week apart, far outside the grouping window, so only the two of a pair can meet. */
const pairSpacingMs = 7 * 86_400_000;
const firstPair = Date.parse('2024-01-01T18:00:00Z');

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** One side of every pair as one RSS document of its own source: the text goes through the real parser. */
function feedXml(host: string, texts: { title: string; summary: string }[], offsetMs: number): string {
  const items = texts.map(
    (text, index) =>
      `<item><title>${escape(text.title)}</title><link>https://${host}/story/${String(index)}</link>` +
      `<description>${escape(text.summary)}</description><pubDate>${new Date(firstPair + index * pairSpacingMs + offsetMs).toUTCString()}</pubDate></item>`,
  );
  return `<rss version="2.0"><channel><title>${host}</title><link>https://${host}/</link><description>d</description>${items.join('')}</channel></rss>`;
}

interface Measured {
  precision: number;
  recall: number;
  missed: string[];
  wrong: string[];
}

describe.each(databaseKinds)('story grouping measured through parsing and storing on %s', (kind) => {
  let prisma: PrismaClient;
  let db: Database;
  useTestDatabase(kind, (test) => {
    prisma = test.db.prisma;
    db = test.db;
  });

  async function newSource(teamId: string): Promise<StoreSource> {
    const source = await prisma.source.create({
      data: { url: `https://${randomBytes(4).toString('hex')}.example/feed.xml`, name: 'Source', teams: { create: [{ teamId }] } },
    });
    return { id: source.id, league: null, teamIds: [teamId] };
  }

  /** Stores side a of every pair from one source, then side b from another, two hours later, and reads which b joined its a. */
  async function measure(pairs: readonly StoryPair[], teamId: string): Promise<Measured> {
    const stored: string[][] = [];
    for (const [side, offsetMs] of [
      ['a', 0],
      ['b', 2 * 3_600_000],
    ] as const) {
      const host = `${side}-${randomBytes(4).toString('hex')}.example`;
      const items = parseFeed(
        feedXml(
          host,
          pairs.map((pair) => pair[side]),
          offsetMs,
        ),
        { baseUrl: `https://${host}/feed`, fetchedAt },
      ).items;
      const result = await storeFeedItems(db.sql, await newSource(teamId), items, { teams: [], now: fetchedAt });
      const byUrl = await prisma.article.findMany({
        where: { id: { in: result.created.map((row) => row.articleId) } },
        select: { id: true, url: true },
      });
      stored.push(pairs.map((_, index) => byUrl.find((row) => row.url === `https://${host}/story/${String(index)}`)?.id ?? ''));
    }
    const rows = await prisma.article.findMany({ where: { id: { in: stored.flat() } }, select: { id: true, storyId: true } });
    const storyOf = new Map(rows.map((row) => [row.id, row.storyId]));
    const grouped = pairs.map((_, index) => {
      const [a, b] = [storyOf.get(stored[0]?.[index] ?? ''), storyOf.get(stored[1]?.[index] ?? '')];
      return a != null && a === b;
    });
    const truePositives = pairs.filter((pair, index) => pair.same && grouped[index]).length;
    const predicted = grouped.filter(Boolean).length;
    const actual = pairs.filter((pair) => pair.same).length;
    return {
      precision: predicted === 0 ? 1 : truePositives / predicted,
      recall: actual === 0 ? 1 : truePositives / actual,
      missed: pairs.filter((pair, index) => pair.same && !grouped[index]).map((pair) => pair.why),
      wrong: pairs.filter((pair, index) => !pair.same && grouped[index]).map((pair) => pair.why),
    };
  }

  it.skipIf(!databaseAvailable(kind))('groups the fixture pairs with precision 1 and recall of 0.9 or more', async () => {
    const measured = await measure(storyPairs, 'nba-bos');
    console.info(
      `story grouping end to end (${kind}), fixture pairs: precision ${measured.precision.toFixed(2)}, recall ${measured.recall.toFixed(2)}`,
    );
    expect(measured.wrong).toEqual([]);
    expect(measured.recall, measured.missed.join('; ')).toBeGreaterThanOrEqual(0.9);
  });

  it.skipIf(!databaseAvailable(kind))('groups the held-out pairs with precision and recall of 0.8 or more', async () => {
    const measured = await measure(heldOutStoryPairs, 'nfl-gb');
    console.info(
      `story grouping end to end (${kind}), held-out pairs: precision ${measured.precision.toFixed(2)}, recall ${measured.recall.toFixed(2)}`,
    );
    expect(measured.precision, measured.wrong.join('; ')).toBeGreaterThanOrEqual(0.8);
    expect(measured.recall, measured.missed.join('; ')).toBeGreaterThanOrEqual(0.8);
  });
});
