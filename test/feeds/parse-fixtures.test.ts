import { fetchFeed, FeedParseError, parseFeed, type FeedParseFailure, type ParsedFeed } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';

let server: FeedServer;
const fetchedAt = new Date('2024-05-01T12:00:00Z');

beforeAll(async () => {
  server = await startFeedServer();
});

afterAll(async () => {
  await server.close();
});

/** Fetches a path from the fake server and parses it the way the worker does. */
async function fetchAndParse(path: string): Promise<ParsedFeed> {
  const result = await fetchFeed(server.url(path), { allowPrivateNetworks: true });
  if (result.status !== 'ok') throw new Error(`fetch failed: ${JSON.stringify(result)}`);
  return parseFeed(result.body, { baseUrl: result.finalUrl, fetchedAt, contentType: result.contentType });
}

async function parseFailure(path: string): Promise<FeedParseFailure> {
  try {
    await fetchAndParse(path);
  } catch (error) {
    if (error instanceof FeedParseError) return error.reason;
    throw error;
  }
  throw new Error('the document parsed');
}

describe('parsing every fixture kind', () => {
  it('reads RSS 2.0 with xml:base, content:encoded, odd zones and tracking parameters', async () => {
    const feed = await fetchAndParse('/feeds/rss2.xml');
    expect(feed).toMatchObject({ kind: 'RSS', title: 'Celtics Wire', link: 'https://celtics.example.com/', ttlMinutes: 60 });
    expect(feed.items).toHaveLength(3);
    const [first, second, third] = feed.items;
    expect(first).toMatchObject({
      guid: 'celtics-wire-1001',
      itemKey: 'celtics-wire-1001',
      url: 'https://celtics.example.com/news/2024/04/30/fourth-straight?utm_source=rss&utm_medium=feed&ref=wire',
      canonicalUrl: 'https://celtics.example.com/news/2024/04/30/fourth-straight?ref=wire',
      title: 'Celtics hold off late rally to win fourth straight',
      author: 'Jane Reporter',
      summary: 'Boston held on at TD Garden & stretched the streak to four.',
    });
    expect(first?.publishedAt.toISOString()).toBe('2024-05-01T02:15:00.000Z');
    expect(first?.contentHtml).toBe(
      '<p>Boston held on at <strong>TD Garden</strong>.</p><p><a href="https://celtics.example.com/box-score/1001" rel="noopener noreferrer nofollow">Box score</a></p><img src="https://celtics.example.com/news/photos/rally.jpg" alt="Late rally" />',
    );
    expect(second).toMatchObject({
      author: 'Wire Desk',
      canonicalUrl: 'https://celtics.example.com/news/2024/04/29/injury-report',
      summary: 'Both are listed as day-to-day — no timeline yet.',
    });
    expect(third).toMatchObject({
      summary: 'Answers to your questions.',
      contentHtml: '<p>Answers to <em>your</em> questions.</p>',
      itemKey: 'https://celtics.example.com/news/mailbag',
    });
    expect(third?.publishedAt).toEqual(fetchedAt);
  });

  it('reads RSS 0.91 with its public DTD and a declared legacy charset', async () => {
    const feed = await fetchAndParse('/feeds/rss091.xml');
    expect(feed.kind).toBe('RSS');
    expect(feed.items.map((item) => item.title)).toEqual(['Knicks legends night', 'Café courtside']);
    expect(feed.items[0]?.url).toBe('http://oldschool.example.com/legends.html');
  });

  it('reads RDF (RSS 1.0) with Dublin Core dates and creators', async () => {
    const feed = await fetchAndParse('/feeds/rdf.xml');
    expect(feed).toMatchObject({ kind: 'RDF', title: 'League Notes (RSS 1.0)' });
    expect(feed.items[0]).toMatchObject({
      guid: 'https://rdf.example.org/notes/1',
      author: 'Notes Desk',
      url: 'https://rdf.example.org/notes/1',
    });
    expect(feed.items[0]?.publishedAt.toISOString()).toBe('2024-04-28T16:30:00.000Z');
    expect(feed.items[1]?.publishedAt.toISOString()).toBe('2024-04-27T00:00:00.000Z');
  });

  it('reads Atom with nested xml:base, html titles, xhtml and text content', async () => {
    const feed = await fetchAndParse('/feeds/atom.xml');
    expect(feed).toMatchObject({ kind: 'ATOM', title: 'Arsenal Atom', link: 'https://atom.example.net/' });
    const [first, second] = feed.items;
    expect(first).toMatchObject({
      url: 'https://atom.example.net/blog/2024/keep-pace.html',
      title: 'Arsenal keep pace & stay top',
      author: 'Jo Writer',
      summary: 'A narrow win at the Emirates.',
      contentHtml:
        '<p>The Gunners won 1-0. <a href="https://atom.example.net/blog/2024/report" rel="noopener noreferrer nofollow">Full report</a></p>',
    });
    expect(first?.publishedAt.toISOString()).toBe('2024-04-30T15:00:00.000Z');
    expect(first?.updatedAt?.toISOString()).toBe('2024-04-30T18:00:00.000Z');
    expect(second).toMatchObject({
      author: 'Blog Team',
      contentHtml: '<p>Corners &lt;win&gt; games.</p>',
      summary: 'Corners <win> games.',
    });
  });

  it('reads JSON Feed', async () => {
    const feed = await fetchAndParse('/feeds/feed.json');
    expect(feed).toMatchObject({ kind: 'JSON_FEED', title: 'Chiefs JSON', link: 'https://chiefs.example.com/' });
    expect(feed.items[0]).toMatchObject({
      guid: 'chiefs-1',
      author: 'Chiefs Desk',
      contentHtml: '<p>A 45-yarder as time expired.</p>',
      summary: 'Late winner.',
    });
    expect(feed.items[1]?.url).toBe(server.url('/posts/line'));
  });
});

describe('hostile documents', () => {
  it('refuses the billion laughs', async () => {
    expect(await parseFailure('/feeds/billion-laughs.xml')).toBe('entities');
  });

  it('refuses an external entity (XXE)', async () => {
    expect(await parseFailure('/feeds/xxe.xml')).toBe('entities');
  });

  it('refuses binary junk', async () => {
    server.route('/junk', { kind: 'junk', bytes: 64 * 1024 });
    expect(await parseFailure('/junk')).toBe('binary');
  });

  it('refuses an HTML page', async () => {
    expect(await parseFailure('/feeds/not-a-feed.html')).toBe('not-a-feed');
  });

  it('refuses a malformed feed', async () => {
    expect(await parseFailure('/feeds/malformed.xml')).toBe('malformed');
  });

  it('refuses a document over the size cap', () => {
    expect(() => parseFeed(Buffer.alloc(11 * 1024 * 1024, 0x20), { baseUrl: server.url('/big'), fetchedAt })).toThrow(FeedParseError);
  });

  it('defuses script-laden items', async () => {
    const feed = await fetchAndParse('/feeds/script-laden.xml');
    const [item] = feed.items;
    expect(feed.title).toBe('Hostile Feed');
    expect(item?.title).toBe('Headline');
    expect(item?.url).toBeUndefined();
    expect(item?.summary).toBe('Read this and that.');
    expect(item?.contentHtml).toBe(
      '<p>Body</p>vb<a href="https://ok.example/page" rel="noopener noreferrer nofollow">ok link</a><img src="https://ok.example/photo.jpg" />',
    );
    const everything = JSON.stringify(feed);
    for (const forbidden of [
      '<script',
      'javascript:',
      'vbscript:',
      'data:',
      'onerror',
      'onclick',
      'onmouseover',
      '<iframe',
      '<form',
      'style=',
      '<svg',
      '<object',
      'pixel.wp.com',
    ]) {
      expect(everything).not.toContain(forbidden);
    }
  });
});
