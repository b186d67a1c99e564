import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeEntry, type RawEntry } from './normalize.ts';
import { parseFeed } from './parse.ts';

const fetchedAt = new Date('2024-05-01T12:00:00Z');
const baseUrl = 'https://feeds.example.com/sports/feed.xml';

function rss(items: string, channelExtras = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel${channelExtras}><title>Sports</title><link>https://example.com/</link><description>d</description>${items}</channel></rss>`;
}

function entry(overrides: Partial<RawEntry>): RawEntry {
  return { base: 'https://example.com/', titleIsHtml: false, ...overrides };
}

describe('normalizing RSS items', () => {
  it('produces a complete item from a typical entry', () => {
    const feed = parseFeed(
      rss(`<item><title>Celtics &amp; Knicks</title><link>https://example.com/a?utm_source=rss&amp;id=7#comments</link>
        <guid isPermaLink="false">tag:example.com,2024:1</guid><pubDate>Tue, 30 Apr 2024 20:00:00 EDT</pubDate>
        <dc:creator>Jane Reporter</dc:creator><description><![CDATA[<p>Short <b>summary</b> here.</p>]]></description>
        <content:encoded><![CDATA[<p>Full story <a href="/more">more</a></p><script>bad()</script>]]></content:encoded></item>`),
      { baseUrl, fetchedAt },
    );
    expect(feed.kind).toBe('RSS');
    expect(feed.items).toHaveLength(1);
    const [item] = feed.items;
    expect(item).toMatchObject({
      guid: 'tag:example.com,2024:1',
      url: 'https://example.com/a?utm_source=rss&id=7#comments',
      canonicalUrl: 'https://example.com/a?id=7',
      title: 'Celtics & Knicks',
      author: 'Jane Reporter',
      summary: 'Short summary here.',
      contentHtml: '<p>Full story <a href="https://feeds.example.com/more" rel="noopener noreferrer nofollow">more</a></p>',
      itemKey: 'tag:example.com,2024:1',
    });
    expect(item?.publishedAt.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(item?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('resolves relative links through channel and item xml:base', () => {
    const feed = parseFeed(
      rss(`<item xml:base="section/"><title>t</title><link>story.html</link></item>`, ' xml:base="https://base.example.org/news/"'),
      { baseUrl, fetchedAt },
    );
    expect(feed.items[0]?.url).toBe('https://base.example.org/news/section/story.html');
  });

  it('resolves relative links against the feed URL without xml:base', () => {
    const feed = parseFeed(rss('<item><title>t</title><link>/2024/story</link></item>'), { baseUrl, fetchedAt });
    expect(feed.items[0]?.url).toBe('https://feeds.example.com/2024/story');
  });

  it('never keeps a javascript: link as the article URL', () => {
    const feed = parseFeed(rss('<item><title>t</title><link>javascript:alert(1)</link></item>'), { baseUrl, fetchedAt });
    expect(feed.items[0]?.url).toBeUndefined();
    expect(feed.items[0]?.canonicalUrl).toBeUndefined();
  });

  it('uses a permalink guid as the link when there is no link', () => {
    const feed = parseFeed(rss('<item><title>t</title><guid>https://example.com/p/1</guid></item>'), { baseUrl, fetchedAt });
    expect(feed.items[0]?.url).toBe('https://example.com/p/1');
  });

  it('does not turn an opaque guid into a URL', () => {
    const feed = parseFeed(rss('<item><title>t</title><guid>12345</guid></item>'), { baseUrl, fetchedAt });
    expect(feed.items[0]?.url).toBeUndefined();
    expect(feed.items[0]?.itemKey).toBe('12345');
  });

  it('keys an entry by URL when it has no guid, and by a hash of its title and date when it has neither', () => {
    const feed = parseFeed(
      rss('<item><title>a</title><link>https://example.com/a</link></item><item><title>b</title><description>body</description></item>'),
      { baseUrl, fetchedAt },
    );
    expect(feed.items[0]?.itemKey).toBe('https://example.com/a');
    expect(feed.items[1]?.itemKey).toMatch(/^entry:[0-9a-f]{64}$/);
  });

  it('keeps the key of an entry without guid or link when its body is edited', () => {
    const key = (body: string) =>
      parseFeed(
        rss(`<item><title>Match report</title><pubDate>Tue, 30 Apr 2024 20:00:00 GMT</pubDate><description>${body}</description></item>`),
        {
          baseUrl,
          fetchedAt,
        },
      ).items[0]?.itemKey;
    expect(key('Early version.')).toBe(key('Updated with quotes.'));
  });

  it('tells apart entries without guid or link that share a title but not a date', () => {
    const feed = parseFeed(
      rss(
        '<item><title>Injury report</title><pubDate>Mon, 29 Apr 2024 09:00:00 GMT</pubDate></item><item><title>Injury report</title><pubDate>Tue, 30 Apr 2024 09:00:00 GMT</pubDate></item>',
      ),
      { baseUrl, fetchedAt },
    );
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]?.itemKey).not.toBe(feed.items[1]?.itemKey);
  });

  it('keys a podcast episode without guid or link by its enclosure', () => {
    const feed = parseFeed(
      rss('<item><title>Episode 1</title><enclosure url="https://cdn.example.com/ep1.mp3" length="1" type="audio/mpeg"/></item>'),
      { baseUrl, fetchedAt },
    );
    expect(feed.items[0]?.itemKey).toBe('enclosure:https://cdn.example.com/ep1.mp3');
  });

  it('offers the keys an entry may have been stored under before a title edit or by the older rule', () => {
    const [item] = parseFeed(
      rss('<item><title>Match report</title><pubDate>Tue, 30 Apr 2024 20:00:00 GMT</pubDate><description>Body.</description></item>'),
      { baseUrl, fetchedAt },
    ).items;
    const [retitled] = parseFeed(
      rss(
        '<item><title>Match report (updated)</title><pubDate>Tue, 30 Apr 2024 20:00:00 GMT</pubDate><description>Body.</description></item>',
      ),
      { baseUrl, fetchedAt },
    ).items;
    expect(item?.aliasKeys).toHaveLength(3);
    expect(item?.aliasKeys).toContain(`sha256:${createHash('sha256').update('Match report\nBody.').digest('hex')}`);
    expect(retitled?.itemKey).not.toBe(item?.itemKey);
    expect(retitled?.aliasKeys.filter((key) => item?.aliasKeys.includes(key))).toHaveLength(1);
  });

  it('keeps entries with only a link or only a guid, and skips those with nothing at all', () => {
    const feed = parseFeed(
      rss(
        '<item><link>https://example.com/photos/1</link></item><item><guid isPermaLink="false">n-1</guid></item><item></item><item><title>kept</title></item>',
      ),
      { baseUrl, fetchedAt },
    );
    expect(feed.items.map((item) => item.title)).toEqual(['example.com/photos/1', 'Untitled', 'kept']);
  });

  it('derives a title from the text when the entry has none', () => {
    const feed = parseFeed(rss('<item><description>Only a description that tells the story.</description></item>'), { baseUrl, fetchedAt });
    expect(feed.items[0]?.title).toBe('Only a description that tells the story.');
  });

  it('falls back to the fetch time for undated entries and clamps future ones', () => {
    const feed = parseFeed(
      rss(
        '<item><title>undated</title></item><item><title>future</title><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item><item><title>junk</title><pubDate>someday</pubDate></item>',
      ),
      { baseUrl, fetchedAt },
    );
    expect(feed.items.map((item) => item.publishedAt)).toEqual([fetchedAt, fetchedAt, fetchedAt]);
  });

  it('reads the channel ttl', () => {
    expect(
      parseFeed(rss('<item><title>t</title></item>').replace('<description>d</description>', '<description>d</description><ttl>45</ttl>'), {
        baseUrl,
        fetchedAt,
      }).ttlMinutes,
    ).toBe(45);
  });

  it('reads feed-level title and link', () => {
    const feed = parseFeed(rss('<item><title>t</title></item>'), { baseUrl, fetchedAt });
    expect(feed).toMatchObject({ title: 'Sports', link: 'https://example.com/' });
  });

  it('keeps only the first of two entries with the same key', () => {
    const feed = parseFeed(rss('<item><guid>1</guid><title>first</title></item><item><guid>1</guid><title>second</title></item>'), {
      baseUrl,
      fetchedAt,
    });
    expect(feed.items.map((item) => item.title)).toEqual(['first']);
  });

  it('uses the description as content when there is no content:encoded', () => {
    const feed = parseFeed(
      rss('<item><title>t</title><description>&lt;p&gt;Body &lt;em&gt;text&lt;/em&gt;&lt;/p&gt;</description></item>'),
      { baseUrl, fetchedAt },
    );
    expect(feed.items[0]).toMatchObject({ summary: 'Body text', contentHtml: '<p>Body <em>text</em></p>' });
  });
});

describe('normalizing Atom entries', () => {
  const atom = (entries: string) => `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example.net/blog/">
  <title type="html">Team &lt;em&gt;Blog&lt;/em&gt;</title><id>urn:feed</id><updated>2024-04-30T00:00:00Z</updated>
  <link rel="alternate" href="/"/><link rel="self" href="feed.atom"/><author><name>Feed Author</name></author>
  ${entries}
</feed>`;

  it('reads title, alternate link, dates, author and content', () => {
    const feed = parseFeed(
      atom(`<entry xml:base="2024/"><title type="html">Win &amp;amp; &lt;b&gt;streak&lt;/b&gt;</title><id>urn:1</id>
        <link rel="self" href="https://atom.example.net/api/1"/><link rel="alternate" type="text/html" href="win.html"/>
        <published>2024-04-29T10:00:00+02:00</published><updated>2024-04-30T10:00:00Z</updated>
        <summary>Plain &lt;summary&gt;</summary>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body <img src="pic.png"/></p></div></content></entry>`),
      { baseUrl, fetchedAt },
    );
    expect(feed).toMatchObject({ kind: 'ATOM', title: 'Team Blog', link: 'https://atom.example.net/' });
    expect(feed.items[0]).toMatchObject({
      guid: 'urn:1',
      url: 'https://atom.example.net/blog/2024/win.html',
      title: 'Win & streak',
      author: 'Feed Author',
      summary: 'Plain <summary>',
      contentHtml: '<p>Body <img src="https://atom.example.net/blog/2024/pic.png" /></p>',
    });
    expect(feed.items[0]?.publishedAt.toISOString()).toBe('2024-04-29T08:00:00.000Z');
    expect(feed.items[0]?.updatedAt?.toISOString()).toBe('2024-04-30T10:00:00.000Z');
  });

  it('keeps a text title literally', () => {
    const feed = parseFeed(atom('<entry><title>5 &lt;b&gt; tags</title><id>urn:2</id><updated>2024-04-30T00:00:00Z</updated></entry>'), {
      baseUrl,
      fetchedAt,
    });
    expect(feed.items[0]?.title).toBe('5 <b> tags');
  });

  it('reads Atom 0.3 MIME types: text/html is markup, text/plain is literal text', () => {
    const feed = parseFeed(
      atom(
        '<entry><title type="text/html" mode="escaped">&lt;b onclick="x()"&gt;Bold&lt;/b&gt; move</title><id>urn:4</id><updated>2024-04-30T00:00:00Z</updated><content type="text/plain" mode="escaped">1 &lt; 2</content></entry>',
      ),
      { baseUrl, fetchedAt },
    );
    expect(feed.items[0]).toMatchObject({ title: 'Bold move', summary: '1 < 2', contentHtml: '<p>1 &lt; 2</p>' });
  });

  it('shows no content of a media type a reader cannot display, and falls back to media:description', () => {
    const feed = parseFeed(
      atom(
        '<entry xmlns:media="http://search.yahoo.com/mrss/"><title>Clip</title><id>urn:5</id><updated>2024-04-30T00:00:00Z</updated><content type="image/png">iVBORw0KGgo=</content><media:group><media:description>The winning goal.</media:description></media:group></entry>',
      ),
      { baseUrl, fetchedAt },
    );
    expect(feed.items[0]).toMatchObject({ summary: 'The winning goal.', contentHtml: '<p>The winning goal.</p>' });
  });

  it('escapes text content instead of interpreting it', () => {
    const feed = parseFeed(
      atom(
        '<entry><title>t</title><id>urn:3</id><updated>2024-04-30T00:00:00Z</updated><content type="text">&lt;script&gt;x&lt;/script&gt;</content></entry>',
      ),
      { baseUrl, fetchedAt },
    );
    expect(feed.items[0]?.contentHtml).toBe('<p>&lt;script&gt;x&lt;/script&gt;</p>');
  });
});

describe('normalizing JSON Feed items', () => {
  it('reads ids, URLs, text and dates', () => {
    const document = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JSON',
      home_page_url: 'https://json.example.com/',
      authors: [{ name: 'Desk' }],
      items: [
        {
          id: 'j1',
          url: '/posts/1',
          title: 'First',
          content_text: 'Line one\n\nLine two',
          date_published: '2024-04-30T09:00:00-04:00',
          date_modified: '2024-04-30T15:00:00Z',
        },
        { id: 'j2', external_url: 'https://elsewhere.example.org/x', title: 'Second', content_html: '<p>Hello</p>', summary: 'Short' },
      ],
    });
    const feed = parseFeed(document, { baseUrl: 'https://json.example.com/feed.json', fetchedAt });
    expect(feed).toMatchObject({ kind: 'JSON_FEED', title: 'JSON', link: 'https://json.example.com/' });
    expect(feed.items[0]).toMatchObject({
      guid: 'j1',
      url: 'https://json.example.com/posts/1',
      author: 'Desk',
      summary: 'Line one Line two',
      contentHtml: '<p>Line one</p><p>Line two</p>',
    });
    expect(feed.items[0]?.publishedAt.toISOString()).toBe('2024-04-30T13:00:00.000Z');
    expect(feed.items[1]).toMatchObject({ url: 'https://elsewhere.example.org/x', summary: 'Short', contentHtml: '<p>Hello</p>' });
  });
});

describe('normalizeEntry', () => {
  it('caps titles at 500 characters on a word boundary', () => {
    const item = normalizeEntry(entry({ title: 'word '.repeat(200) }), fetchedAt);
    expect(item?.title.length).toBeLessThanOrEqual(500);
    expect(item?.title.endsWith('word…')).toBe(true);
  });

  it('caps summaries at about 600 characters on a word boundary', () => {
    const item = normalizeEntry(entry({ title: 't', summaryHtml: `<p>${'lorem ipsum '.repeat(100)}</p>` }), fetchedAt);
    expect(item?.summary.length).toBeLessThanOrEqual(600);
    expect(item?.summary.endsWith('…')).toBe(true);
    expect(item?.summary).not.toMatch(/\s…$/);
  });

  it('changes the content hash when the text changes and only then', () => {
    const first = normalizeEntry(entry({ guid: 'g', title: 'Title', summaryHtml: 'one' }), fetchedAt);
    const same = normalizeEntry(entry({ guid: 'g', title: 'Title', summaryHtml: 'one' }), new Date('2024-06-01T00:00:00Z'));
    const edited = normalizeEntry(entry({ guid: 'g', title: 'Title', summaryHtml: 'two' }), fetchedAt);
    expect(same?.contentHash).toBe(first?.contentHash);
    expect(edited?.contentHash).not.toBe(first?.contentHash);
    expect(edited?.itemKey).toBe(first?.itemKey);
  });

  it('hashes keys too long to index', () => {
    const item = normalizeEntry(entry({ guid: 'x'.repeat(5000), title: 't' }), fetchedAt);
    expect(item?.itemKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('removes control characters, which the database cannot store', () => {
    const item = normalizeEntry(entry({ title: 'A\u0000B\u0007C', summaryHtml: 'x\u0000y' }), fetchedAt);
    expect(item).toMatchObject({ title: 'ABC', summary: 'xy' });
  });
});
