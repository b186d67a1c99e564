import { randomBytes } from 'node:crypto';
import type { PrismaClient, Database, StoryMatcher } from '@pressbox/db';
import { parseFeed, storeFeedItems, storyMatcher, STORY_WINDOW_MS, type FeedItem, type StoreSource } from '@pressbox/jobs';
import { describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, useTestDatabase } from '../support/databases.ts';

const fetchedAt = new Date('2024-05-01T12:00:00Z');

interface Entry {
  title: string;
  description: string;
  pubDate?: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Items of an RSS document on its own host, so no two feeds share a URL. */
function feedOf(entries: Entry[]): FeedItem[] {
  const base = `https://${randomBytes(4).toString('hex')}.news.example`;
  const body = entries
    .map(
      (entry, index) =>
        `<item><link>${base}/story-${String(index)}</link><title>${escape(entry.title)}</title><description>${escape(entry.description)}</description>` +
        `<pubDate>${entry.pubDate ?? 'Tue, 30 Apr 2024 20:00:00 GMT'}</pubDate></item>`,
    )
    .join('');
  const xml = `<rss version="2.0"><channel><title>t</title><link>${base}/</link><description>d</description>${body}</channel></rss>`;
  return parseFeed(xml, { baseUrl: `${base}/feed`, fetchedAt }).items;
}

const recap: Entry = {
  title: 'Celtics beat Knicks 112-104 behind Tatum’s 34',
  description: 'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
};
const rewrite: Entry = {
  title: 'Tatum pours in 34 as Boston holds off New York',
  description: 'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.',
  pubDate: 'Tue, 30 Apr 2024 21:30:00 GMT',
};
const otherGame: Entry = {
  title: 'Celtics beat Knicks 98-95 in overtime',
  description: 'The Boston Celtics edged the New York Knicks 98-95 in overtime on Thursday night.',
};

describe.each(databaseKinds)('grouping stories across sources on %s', (kind) => {
  let prisma: PrismaClient;
  let db: Database;
  useTestDatabase(kind, (test) => {
    prisma = test.db.prisma;
    db = test.db;
  });

  async function newSource(teamIds: string[]): Promise<StoreSource> {
    const source = await prisma.source.create({
      data: {
        url: `https://${randomBytes(4).toString('hex')}.example/feed.xml`,
        name: 'Source',
        teams: { create: teamIds.map((teamId) => ({ teamId })) },
      },
    });
    return { id: source.id, league: null, teamIds };
  }

  async function store(source: StoreSource, entries: Entry[]) {
    return storeFeedItems(db.sql, source, feedOf(entries), { teams: [], now: fetchedAt });
  }

  const storyOf = async (id: string | undefined) =>
    (await prisma.article.findUniqueOrThrow({ where: { id: id ?? '' }, select: { storyId: true } })).storyId;

  it.skipIf(!databaseAvailable(kind))(
    'puts a rewritten copy from another source in the story of the first, and announces it to no team that had it',
    async () => {
      const first = await store(await newSource(['nba-bos']), [recap]);
      const second = await store(await newSource(['nba-bos', 'nba-nyk']), [rewrite]);
      const [original, copy] = [first.created[0]?.articleId, second.created[0]?.articleId];
      expect(await storyOf(original)).toBe(original);
      expect(await storyOf(copy)).toBe(original);
      expect(second.created).toEqual([{ articleId: copy, teamIds: ['nba-nyk'] }]);
    },
  );

  it.skipIf(!databaseAvailable(kind))(
    'groups with stored articles whatever the matcher remembers: their text is read when it does not know them',
    async () => {
      const first = await store(await newSource(['nba-okc']), [recap]);
      // A matcher of another process, which never saw the first article, and one that saw it before an edit.
      const elsewhere = storyMatcher();
      const copy = await storeFeedItems(db.sql, await newSource(['nba-okc']), feedOf([rewrite]), {
        teams: [],
        now: fetchedAt,
        stories: elsewhere,
      });
      expect(await storyOf(copy.created[0]?.articleId)).toBe(first.created[0]?.articleId);
      const edited = await store(await newSource(['nba-sas']), [otherGame]);
      const stale = storyMatcher();
      await storeFeedItems(db.sql, await newSource(['nba-sas']), feedOf([{ ...otherGame, title: 'Celtics and Knicks meet' }]), {
        teams: [],
        now: fetchedAt,
        stories: stale,
      });
      await prisma.article.update({
        where: { id: edited.created[0]?.articleId ?? '' },
        data: { title: recap.title, summary: recap.description, fingerprint: 'edited' },
      });
      const after = await storeFeedItems(db.sql, await newSource(['nba-sas']), feedOf([rewrite]), {
        teams: [],
        now: fetchedAt,
        stories: stale,
      });
      expect(await storyOf(after.created[0]?.articleId)).toBe(edited.created[0]?.articleId);
    },
  );

  it.skipIf(!databaseAvailable(kind))('keeps two games of the same teams apart', async () => {
    const first = await store(await newSource(['nba-bkn']), [recap]);
    const second = await store(await newSource(['nba-bkn']), [otherGame]);
    expect(await storyOf(first.created[0]?.articleId)).toBeNull();
    expect(await storyOf(second.created[0]?.articleId)).toBeNull();
    expect(second.created[0]?.teamIds).toEqual(['nba-bkn']);
  });

  it.skipIf(!databaseAvailable(kind))('groups only articles that share a team', async () => {
    await store(await newSource(['nba-lal']), [recap]);
    const second = await store(await newSource(['nba-gsw']), [rewrite]);
    expect(await storyOf(second.created[0]?.articleId)).toBeNull();
  });

  it.skipIf(!databaseAvailable(kind))('groups only articles published within the window of each other', async () => {
    await store(await newSource(['nba-mia']), [{ ...recap, pubDate: 'Tue, 30 Apr 2024 20:00:00 GMT' }]);
    const late = await store(await newSource(['nba-mia']), [{ ...rewrite, pubDate: 'Fri, 26 Apr 2024 20:00:00 GMT' }]);
    expect(await storyOf(late.created[0]?.articleId)).toBeNull();
  });

  it.skipIf(!databaseAvailable(kind))(
    'groups articles the whole window apart and not a second more, found through any shared team',
    async () => {
      const first = await store(await newSource(['nba-por', 'nba-uta', 'nba-sac']), [recap]);
      // 36 hours before the recap, found through two teams; one second earlier, through a third.
      const edge = await store(await newSource(['nba-uta', 'nba-por']), [{ ...rewrite, pubDate: 'Mon, 29 Apr 2024 08:00:00 GMT' }]);
      const beyond = await store(await newSource(['nba-sac']), [{ ...rewrite, pubDate: 'Mon, 29 Apr 2024 07:59:59 GMT' }]);
      expect(await storyOf(edge.created[0]?.articleId)).toBe(first.created[0]?.articleId);
      expect(await storyOf(beyond.created[0]?.articleId)).toBeNull();
    },
  );

  it.skipIf(!databaseAvailable(kind))('never groups two entries of one source', async () => {
    const source = await newSource(['nba-chi']);
    await store(source, [recap]);
    const again = await store(source, [rewrite]);
    expect(await storyOf(again.created[0]?.articleId)).toBeNull();
    expect(again.created[0]?.teamIds).toEqual(['nba-chi']);
  });

  it.skipIf(!databaseAvailable(kind))('adds a third telling to the same story', async () => {
    const first = await store(await newSource(['nba-den']), [recap]);
    await store(await newSource(['nba-den']), [rewrite]);
    const third = await store(await newSource(['nba-den']), [{ ...recap, title: `${recap.title} | Hoops Wire` }]);
    expect(await storyOf(third.created[0]?.articleId)).toBe(first.created[0]?.articleId);
    expect(third.created[0]?.teamIds).toEqual([]);
  });

  it.skipIf(!databaseAvailable(kind))('lets the event loop turn while a long feed is matched', async () => {
    await store(await newSource(['nba-atl']), [recap]);
    // A matcher that takes 3 ms per entry, and the loop turns it sees at each entry.
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns += 1;
      if (spinning) setImmediate(spin);
    };
    const seen: number[] = [];
    const slow: StoryMatcher = {
      windowMs: STORY_WINDOW_MS,
      match: () => {
        seen.push(turns);
        const until = performance.now() + 3;
        while (performance.now() < until);
        return undefined;
      },
    };
    const entries = Array.from({ length: 40 }, (_, index) => ({ ...otherGame, title: `${otherGame.title} (${String(index)})` }));
    setImmediate(spin);
    await storeFeedItems(db.sql, await newSource(['nba-atl']), feedOf(entries), { teams: [], now: fetchedAt, stories: slow });
    spinning = false;
    expect(seen).toHaveLength(40);
    expect((seen.at(-1) ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(5);
  });

  it.skipIf(!databaseAvailable(kind))('stores without grouping when told to', async () => {
    await store(await newSource(['nba-phx']), [recap]);
    const plain = await storeFeedItems(db.sql, await newSource(['nba-phx']), feedOf([rewrite]), {
      teams: [],
      now: fetchedAt,
      stories: null,
    });
    expect(await storyOf(plain.created[0]?.articleId)).toBeNull();
    expect(plain.created[0]?.teamIds).toEqual(['nba-phx']);
  });
});
