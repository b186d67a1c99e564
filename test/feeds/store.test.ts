import { randomBytes } from 'node:crypto';
import type { League, PrismaClient, Database } from '@pressbox/db';
import { parseFeed, storeFeedItems, type FeedItem, type StoreSource } from '@pressbox/jobs';
import { describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, useTestDatabase } from '../support/databases.ts';
import { readFixtureBytes } from '../fakes/feed-server.ts';

const fetchedAt = new Date('2024-05-01T12:00:00Z');

interface EntryInput {
  guid?: string;
  link?: string;
  title: string;
  description?: string;
  pubDate?: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Feed items as the parser produces them, from a small RSS document. */
function items(entries: EntryInput[]): FeedItem[] {
  const body = entries
    .map(
      (entry) =>
        `<item>${entry.guid ? `<guid isPermaLink="false">${escape(entry.guid)}</guid>` : ''}${entry.link ? `<link>${escape(entry.link)}</link>` : ''}<title>${escape(entry.title)}</title>${
          entry.description ? `<description>${escape(entry.description)}</description>` : ''
        }<pubDate>${entry.pubDate ?? 'Tue, 30 Apr 2024 20:00:00 GMT'}</pubDate></item>`,
    )
    .join('');
  const xml = `<rss version="2.0"><channel><title>t</title><link>https://example.com/</link><description>d</description>${body}</channel></rss>`;
  return parseFeed(xml, { baseUrl: 'https://example.com/feed', fetchedAt }).items;
}

describe.each(databaseKinds)('storing feed items on %s', (kind) => {
  let prisma: PrismaClient;
  let db: Database;
  useTestDatabase(kind, (test) => {
    prisma = test.db.prisma;
    db = test.db;
  });

  /** A host no other test uses, so canonical URLs never collide across tests. */
  const host = () => `https://${randomBytes(4).toString('hex')}.news.example`;

  async function newSource(options: { teamIds?: string[]; league?: League } = {}): Promise<StoreSource> {
    const source = await prisma.source.create({
      data: {
        url: `${host()}/feed.xml`,
        name: 'Test source',
        league: options.league ?? null,
        teams: { create: (options.teamIds ?? []).map((teamId) => ({ teamId })) },
      },
    });
    return { id: source.id, league: source.league, teamIds: options.teamIds ?? [] };
  }

  const teams = () => prisma.team.findMany({ select: { id: true, league: true, name: true, shortName: true, aliases: true } });

  it.skipIf(!databaseAvailable(kind))('stores new entries once, linked to the source and tagged with its teams', async () => {
    const source = await newSource({ teamIds: ['nba-bos', 'nba-nyk'] });
    const base = host();
    const feed = items([
      { guid: 'a', link: `${base}/a`, title: 'First story', description: 'One.' },
      { guid: 'b', link: `${base}/b`, title: 'Second story', description: 'Two.' },
    ]);
    const result = await storeFeedItems(db.sql, source, feed, { teams: [], now: fetchedAt });
    expect(result.created).toHaveLength(2);
    expect(result.created.every((article) => article.teamIds.join() === 'nba-bos,nba-nyk')).toBe(true);
    expect(result).toMatchObject({ updated: [], linked: [], unchanged: 0 });
    const articles = await prisma.article.findMany({
      where: { sourceId: source.id },
      include: { teams: true, items: true },
      orderBy: { title: 'asc' },
    });
    expect(articles.map((article) => article.title)).toEqual(['First story', 'Second story']);
    expect(articles[0]).toMatchObject({ url: `${base}/a`, canonicalUrl: `${base}/a`, summary: 'One.', fetchedAt });
    expect(articles[0]?.items).toEqual([expect.objectContaining({ sourceId: source.id, itemKey: 'a' })]);
    expect(articles[0]?.teams.map((tag) => [tag.teamId, tag.matchedBy])).toEqual(
      expect.arrayContaining([
        ['nba-bos', 'SOURCE'],
        ['nba-nyk', 'SOURCE'],
      ]),
    );
  });

  it.skipIf(!databaseAvailable(kind))('changes nothing when the same entries are stored again', async () => {
    const source = await newSource({ teamIds: ['nba-bos'] });
    const base = host();
    const feed = items([
      { guid: 'a', link: `${base}/a`, title: 'Story A' },
      { title: 'No guid, no link', description: 'Hashed key' },
    ]);
    await storeFeedItems(db.sql, source, feed, { teams: [], now: fetchedAt });
    const again = await storeFeedItems(db.sql, source, feed, { teams: [], now: new Date('2024-05-01T13:00:00Z') });
    expect(again).toEqual({ created: [], linked: [], updated: [], unchanged: 2 });
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(2);
    expect(await prisma.articleSource.count({ where: { sourceId: source.id } })).toBe(2);
    const seen = await prisma.articleSource.findMany({ where: { sourceId: source.id } });
    expect(
      seen.every((row) => row.lastSeenAt.toISOString() === '2024-05-01T13:00:00.000Z' && row.firstSeenAt.getTime() === fetchedAt.getTime()),
    ).toBe(true);
  });

  it.skipIf(!databaseAvailable(kind))('updates an edited entry in place instead of adding one', async () => {
    const source = await newSource({ teamIds: ['nba-bos'] });
    const base = host();
    const first = await storeFeedItems(
      db.sql,
      source,
      items([{ guid: 'g1', link: `${base}/story`, title: 'Celtics win', description: 'Early version.' }]),
      { teams: [], now: fetchedAt },
    );
    const articleId = first.created[0]?.articleId;
    const editedAt = new Date('2024-05-01T14:00:00Z');
    const second = await storeFeedItems(
      db.sql,
      source,
      items([{ guid: 'g1', link: `${base}/story`, title: 'Celtics win in overtime', description: 'Updated with quotes.' }]),
      {
        teams: [],
        now: editedAt,
      },
    );
    expect(second).toEqual({ created: [], linked: [], updated: [articleId], unchanged: 0 });
    const articles = await prisma.article.findMany({ where: { sourceId: source.id } });
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      id: articleId,
      title: 'Celtics win in overtime',
      summary: 'Updated with quotes.',
      updatedAt: editedAt,
    });
    expect(articles[0]?.publishedAt.toISOString()).toBe('2024-04-30T20:00:00.000Z');
  });

  it.skipIf(!databaseAvailable(kind))('stores the same story from two sources once and links it to both', async () => {
    const base = host();
    const teamSource = await newSource({ teamIds: ['nba-bos'] });
    const otherSource = await newSource({ teamIds: ['nba-lal'] });
    const first = await storeFeedItems(
      db.sql,
      teamSource,
      items([{ guid: 'x1', link: `${base}/big-trade?utm_source=a`, title: 'Big trade' }]),
      { teams: [], now: fetchedAt },
    );
    const second = await storeFeedItems(
      db.sql,
      otherSource,
      items([{ guid: 'y9', link: `${base}/big-trade?utm_campaign=b#top`, title: 'Big trade (wire copy)' }]),
      { teams: [], now: fetchedAt },
    );
    const articleId = first.created[0]?.articleId;
    expect(second).toEqual({ created: [], linked: [{ articleId, teamIds: ['nba-lal'] }], updated: [], unchanged: 0 });
    const stored = await prisma.article.findMany({ where: { canonicalUrl: `${base}/big-trade` }, include: { items: true, teams: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.title).toBe('Big trade');
    expect(stored[0]?.items.map((item) => item.sourceId).sort()).toEqual([teamSource.id, otherSource.id].sort());
    expect(stored[0]?.teams.map((tag) => tag.teamId).sort()).toEqual(['nba-bos', 'nba-lal']);
  });

  it.skipIf(!databaseAvailable(kind))('does not let a second source rewrite an article it did not create', async () => {
    const base = host();
    const owner = await newSource();
    const copier = await newSource();
    await storeFeedItems(db.sql, owner, items([{ guid: 'o', link: `${base}/s`, title: 'Original title' }]), { teams: [], now: fetchedAt });
    await storeFeedItems(db.sql, copier, items([{ guid: 'c', link: `${base}/s`, title: 'Copy title' }]), { teams: [], now: fetchedAt });
    const result = await storeFeedItems(db.sql, copier, items([{ guid: 'c', link: `${base}/s`, title: 'Copy title, edited' }]), {
      teams: [],
      now: fetchedAt,
    });
    expect(result).toMatchObject({ updated: [], unchanged: 1 });
    expect((await prisma.article.findUnique({ where: { canonicalUrl: `${base}/s` } }))?.title).toBe('Original title');
  });

  it.skipIf(!databaseAvailable(kind))('tags league-wide news by team name and alias, as whole words', async () => {
    const source = await newSource({ league: 'NBA' });
    const base = host();
    const result = await storeFeedItems(
      db.sql,
      source,
      items([
        { guid: '1', link: `${base}/1`, title: 'Boston Celtics beat the Knicks in overtime' },
        { guid: '2', link: `${base}/2`, title: 'Trade talk', description: 'The Sixers add depth.' },
        {
          guid: '3',
          link: `${base}/3`,
          title: 'Commissioner on the schedule',
          description: 'Netsuke collectors and Hornetsnest fans unite.',
        },
        { guid: '4', link: `${base}/4`, title: 'Arsenal and the Chiefs make other leagues’ news' },
      ]),
      { teams: await teams(), now: fetchedAt },
    );
    const tagsOf = async (key: string) => {
      const link = await prisma.articleSource.findUniqueOrThrow({
        where: { sourceId_itemKey: { sourceId: source.id, itemKey: key } },
        include: { article: { include: { teams: true } } },
      });
      return link.article.teams.map((tag) => [tag.teamId, tag.matchedBy]).sort();
    };
    expect(await tagsOf('1')).toEqual([
      ['nba-bos', 'NAME'],
      ['nba-nyk', 'ALIAS'],
    ]);
    expect(await tagsOf('2')).toEqual([['nba-phi', 'ALIAS']]);
    expect(await tagsOf('3')).toEqual([]);
    expect(await tagsOf('4')).toEqual([]);
    expect(result.created.map((article) => article.teamIds)).toEqual([['nba-bos', 'nba-nyk'], ['nba-phi'], [], []]);
  });

  it.skipIf(!databaseAvailable(kind))('copies the article publishedAt into every team tag', async () => {
    const source = await newSource({ teamIds: ['nba-bos'], league: 'NBA' });
    const base = host();
    await storeFeedItems(
      db.sql,
      source,
      items([{ guid: 'p', link: `${base}/p`, title: 'Knicks and Celtics', pubDate: 'Mon, 29 Apr 2024 07:30:00 EDT' }]),
      { teams: await teams(), now: fetchedAt },
    );
    const tags = await prisma.articleTeam.findMany({ where: { article: { sourceId: source.id } }, include: { article: true } });
    expect(tags.map((tag) => [tag.teamId, tag.matchedBy]).sort()).toEqual([
      ['nba-bos', 'SOURCE'],
      ['nba-nyk', 'ALIAS'],
    ]);
    for (const tag of tags) expect(tag.publishedAt.toISOString()).toBe('2024-04-29T11:30:00.000Z');
  });

  it.skipIf(!databaseAvailable(kind))('creates nothing twice when two runs store the same feed at once', async () => {
    const source = await newSource({ teamIds: ['nba-bos', 'nba-bkn'] });
    const base = host();
    const feed = items([
      ...Array.from({ length: 12 }, (_, index) => ({
        guid: `u${String(index)}`,
        link: `${base}/${String(index)}`,
        title: `Story ${String(index)}`,
      })),
      ...Array.from({ length: 6 }, (_, index) => ({ title: `Link-less story ${String(index)}`, description: `Body ${String(index)}` })),
    ]);
    const runs = await Promise.all([1, 2, 3].map(() => storeFeedItems(db.sql, source, feed, { teams: [], now: fetchedAt })));
    const created = runs.flatMap((run) => run.created.map((article) => article.articleId));
    expect(created).toHaveLength(18);
    expect(new Set(created).size).toBe(18);
    expect(runs.reduce((sum, run) => sum + run.unchanged, 0)).toBe(36);
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(18);
    expect(await prisma.articleSource.count({ where: { sourceId: source.id } })).toBe(18);
    expect(await prisma.articleTeam.count({ where: { article: { sourceId: source.id } } })).toBe(36);
  });

  it.skipIf(!databaseAvailable(kind))('applies an edit seen by two concurrent runs exactly once', async () => {
    const source = await newSource();
    const base = host();
    await storeFeedItems(db.sql, source, items([{ guid: 'e', link: `${base}/e`, title: 'Before' }]), { teams: [], now: fetchedAt });
    const edited = items([{ guid: 'e', link: `${base}/e`, title: 'After' }]);
    const runs = await Promise.all([
      storeFeedItems(db.sql, source, edited, { teams: [], now: fetchedAt }),
      storeFeedItems(db.sql, source, edited, { teams: [], now: fetchedAt }),
    ]);
    expect(runs.flatMap((run) => run.updated)).toHaveLength(1);
    expect(runs.reduce((sum, run) => sum + run.unchanged, 0)).toBe(1);
  });

  it.skipIf(!databaseAvailable(kind))('finishes a run that was killed half-way without duplicates', async () => {
    const source = await newSource({ teamIds: ['nba-mia'] });
    const base = host();
    const feed = items(
      Array.from({ length: 8 }, (_, index) => ({
        guid: `k${String(index)}`,
        link: `${base}/${String(index)}`,
        title: `Story ${String(index)}`,
      })),
    );
    await storeFeedItems(db.sql, source, feed.slice(0, 3), { teams: [], now: fetchedAt });
    const rerun = await storeFeedItems(db.sql, source, feed, { teams: [], now: fetchedAt });
    expect(rerun.created).toHaveLength(5);
    expect(rerun.unchanged).toBe(3);
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(8);
  });

  it.skipIf(!databaseAvailable(kind))('stores a content fingerprint and keeps URL-less entries apart', async () => {
    const source = await newSource();
    const result = await storeFeedItems(
      db.sql,
      source,
      items([
        { title: 'Same title', description: 'first' },
        { title: 'Same title', description: 'second' },
      ]),
      { teams: [], now: fetchedAt },
    );
    expect(result.created).toHaveLength(2);
    const articles = await prisma.article.findMany({ where: { sourceId: source.id } });
    expect(articles.every((article) => article.canonicalUrl === null && /^[0-9a-f]{64}$/.test(article.fingerprint))).toBe(true);
    expect(new Set(articles.map((article) => article.fingerprint)).size).toBe(2);
  });
  /** A wild fixture parsed as the worker would, its absolute links moved to `base` so no other test shares them. */
  function fixtureItems(path: string, base: string): FeedItem[] {
    const xml = readFixtureBytes(path).toString('utf8').replaceAll('https://clubhouse.example.com', base);
    return parseFeed(xml, { baseUrl: `${base}/feed.xml`, fetchedAt }).items;
  }

  it.skipIf(!databaseAvailable(kind))('stores entries without guid or link once each and edits them in place', async () => {
    const source = await newSource();
    const base = host();
    const first = await storeFeedItems(db.sql, source, fixtureItems('wild/identity-v1.xml', base), { teams: [], now: fetchedAt });
    expect(first.created).toHaveLength(8);
    const again = await storeFeedItems(db.sql, source, fixtureItems('wild/identity-v1.xml', base), { teams: [], now: fetchedAt });
    expect(again).toEqual({ created: [], linked: [], updated: [], unchanged: 8 });
    const edited = await storeFeedItems(db.sql, source, fixtureItems('wild/identity-v2.xml', base), { teams: [], now: fetchedAt });
    expect(edited.created).toHaveLength(1);
    expect(edited.updated).toHaveLength(1);
    expect(edited.unchanged).toBe(7);
    const lineup = await prisma.article.findMany({ where: { sourceId: source.id, title: 'Lineup announced for Saturday' } });
    expect(lineup.map((article) => article.summary)).toEqual(['The manager named an unchanged side, with one late fitness test.']);
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(9);
  });

  it.skipIf(!databaseAvailable(kind))('keeps an entry without guid or link in place when its title or its date is edited', async () => {
    const source = await newSource();
    const date = 'Tue, 30 Apr 2024 20:00:00 GMT';
    const first = await storeFeedItems(db.sql, source, items([{ title: 'Gates open at noon', description: 'Doors.', pubDate: date }]), {
      teams: [],
      now: fetchedAt,
    });
    const retitled = await storeFeedItems(db.sql, source, items([{ title: 'Gates open at 1 pm', description: 'Doors.', pubDate: date }]), {
      teams: [],
      now: fetchedAt,
    });
    const redated = await storeFeedItems(
      db.sql,
      source,
      items([{ title: 'Gates open at 1 pm', description: 'Doors.', pubDate: 'Wed, 01 May 2024 09:00:00 GMT' }]),
      { teams: [], now: fetchedAt },
    );

    const articleId = first.created[0]?.articleId;
    expect(retitled).toMatchObject({ created: [], updated: [articleId] });
    // A new date alone is not an edit of the story: it is recognised and left as it is.
    expect(redated).toMatchObject({ created: [], updated: [], unchanged: 1 });
    const stored = await prisma.article.findMany({ where: { sourceId: source.id } });
    expect(stored.map((article) => [article.id, article.title])).toEqual([[articleId, 'Gates open at 1 pm']]);
  });

  it.skipIf(!databaseAvailable(kind))(
    'adopts an entry stored under the older title-and-content key instead of adding it again',
    async () => {
      const source = await newSource();
      const [current] = items([{ title: 'Squad named for the cup tie', description: 'Two changes.' }]);
      if (!current) throw new Error('the feed has an entry');
      const legacyKey = current.aliasKeys.find((key) => key.startsWith('sha256:'));
      expect(legacyKey).toBeDefined();
      await storeFeedItems(db.sql, source, [{ ...current, itemKey: legacyKey ?? '', aliasKeys: [] }], { teams: [], now: fetchedAt });

      const again = await storeFeedItems(db.sql, source, [current], { teams: [], now: fetchedAt });

      expect(again).toMatchObject({ created: [], unchanged: 1 });
      const links = await prisma.articleSource.findMany({ where: { sourceId: source.id } });
      expect(links.map((link) => link.itemKey)).toEqual([current.itemKey]);
    },
  );

  it.skipIf(!databaseAvailable(kind))('adopts nothing when two entries of a feed could each be the stored one', async () => {
    const source = await newSource();
    const date = 'Tue, 30 Apr 2024 20:00:00 GMT';
    await storeFeedItems(db.sql, source, items([{ title: 'Training report', description: 'Monday.', pubDate: date }]), {
      teams: [],
      now: fetchedAt,
    });

    const two = await storeFeedItems(
      db.sql,
      source,
      items([
        { title: 'Training report, updated', description: 'Monday.', pubDate: date },
        { title: 'Training report, corrected', description: 'Monday.', pubDate: date },
      ]),
      { teams: [], now: fetchedAt },
    );

    expect(two.updated).toEqual([]);
    expect(two.created).toHaveLength(2);
    expect(await prisma.article.count({ where: { sourceId: source.id, title: 'Training report' } })).toBe(1);
  });
});
