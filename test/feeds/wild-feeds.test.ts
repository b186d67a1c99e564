import { readdirSync } from 'node:fs';
import { fetchFeed, FeedParseError, parseFeed, type ParsedFeed } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureBytes, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';

/*
 * Feeds as publishers really serve them: legacy charsets, lying declarations, Atom 0.3, entries
 * without ids, dates in every format, broken embeds and podcast-style metadata. Every document
 * goes through the real fetcher from a real HTTP server, then the parser, as the worker does it.
 */

let server: FeedServer;
const fetchedAt = new Date('2024-05-01T12:00:00Z');

beforeAll(async () => {
  server = await startFeedServer();
});

afterAll(async () => {
  await server.close();
});

interface Served {
  /** The Content-Type sent (default `application/rss+xml`, no charset). */
  contentType?: string;
  headers?: Record<string, string>;
  /** Bytes to put before the fixture (a byte order mark). */
  prefix?: number[];
}

let routes = 0;

/** Serves a fixture under `test/fakes/feeds/` at a fresh path, fetches it and parses it. */
async function serveAndParse(path: string, served: Served = {}): Promise<ParsedFeed> {
  const route = `/served/${String((routes += 1))}/${path.split('/').pop() ?? 'feed.xml'}`;
  const bytes = readFixtureBytes(path);
  server.route(route, {
    kind: 'document',
    body: served.prefix ? Buffer.concat([Buffer.from(served.prefix), bytes]) : bytes,
    contentType: served.contentType ?? 'application/rss+xml',
    ...(served.headers ? { headers: served.headers } : {}),
  });
  const result = await fetchFeed(server.url(route), { allowPrivateNetworks: true });
  if (result.status !== 'ok') throw new Error(`fetch failed: ${JSON.stringify(result)}`);
  return parseFeed(result.body, {
    baseUrl: result.finalUrl,
    contentLocation: result.contentLocation,
    fetchedAt,
    contentType: result.contentType,
  });
}

const punctuation = {
  feedTitle: 'Pundit’s Corner',
  title: '£“test.”',
  summary: 'Tickets cost €45 — or £40… “Worth it,” he said. It’s ‘fine’. Naïve™ fans • cheered',
};

describe('windows-1252 punctuation in legacy single-byte feeds', () => {
  it.each([
    ['declared windows-1252', 'wild/cp1252-declared.xml', 'application/rss+xml'],
    ['declared iso-8859-1', 'wild/iso-8859-1-declared.xml', 'application/rss+xml'],
    ['declared latin1', 'wild/latin1-declared.xml', 'text/xml'],
    ['windows-1252 in the Content-Type', 'wild/cp1252-undeclared.xml', 'application/rss+xml; charset=windows-1252'],
    ['ISO-8859-1 in the Content-Type', 'wild/cp1252-undeclared.xml', 'application/rss+xml; charset=ISO-8859-1'],
    ['latin1 in the Content-Type', 'wild/cp1252-undeclared.xml', 'text/xml; charset="latin1"'],
  ])('decodes curly quotes, dashes, € and ™ when the feed is %s', async (_label, path, contentType) => {
    const feed = await serveAndParse(path, { contentType });
    expect(feed.title).toBe(punctuation.feedTitle);
    expect(feed.items[0]).toMatchObject({ title: punctuation.title, summary: punctuation.summary });
    expect(JSON.stringify(feed)).not.toMatch(/[\u0080-\u009f\ufffd]/);
  });
});

describe('charset precedence: byte order mark, then HTTP charset, then XML declaration, then detection', () => {
  it('lets the HTTP charset overrule a stale ISO-8859-1 declaration on UTF-8 bytes', async () => {
    const feed = await serveAndParse('wild/utf8-stale-declaration.xml', { contentType: 'application/rss+xml; charset=utf-8' });
    expect(feed.items[0]).toMatchObject({ title: 'Rendez-vous au café', summary: 'Un été très chaud à Montréal.' });
  });

  it('lets the HTTP charset overrule a stale UTF-8 declaration on windows-1252 bytes', async () => {
    const feed = await serveAndParse('wild/cp1252-stale-utf8-declaration.xml', { contentType: 'text/xml; charset=windows-1252' });
    expect(feed.items[0]).toMatchObject({ title: '“Derby day” – €20 tickets', summary: 'Señor García’s side won.' });
  });

  it('lets a UTF-8 byte order mark overrule both the HTTP charset and the declaration', async () => {
    const feed = await serveAndParse('wild/utf8-stale-declaration.xml', {
      contentType: 'application/rss+xml; charset=iso-8859-1',
      prefix: [0xef, 0xbb, 0xbf],
    });
    expect(feed.items[0]?.title).toBe('Rendez-vous au café');
  });

  it('falls back to the declaration when the HTTP charset names no known encoding', async () => {
    const feed = await serveAndParse('wild/cp1252-declared.xml', { contentType: 'application/rss+xml; charset=x-klingon' });
    expect(feed.items[0]?.title).toBe(punctuation.title);
  });

  it('ignores an HTTP charset of UTF-16 on a document whose bytes are ASCII-compatible', async () => {
    const feed = await serveAndParse('wild/cp1252-declared.xml', { contentType: 'application/rss+xml; charset=utf-16' });
    expect(feed.items[0]?.title).toBe(punctuation.title);
  });
});

const greek = { feedTitle: 'Ωmega Sports', title: 'Ολυμπιακός wins – 2:1', summary: 'Καλή νίκη.' };

describe('documents that look binary but are text', () => {
  it('reads an ISO-8859-1 news feed that declares no charset anywhere', async () => {
    const feed = await serveAndParse('wild/latin1-undeclared.xml');
    expect(feed.title).toBe('Actualités du hockey');
    expect(feed.items.map((item) => item.title)).toEqual(['Défaite crève-coeur à Québec', 'Un défenseur échangé à Trois-Rivières']);
    expect(feed.items[1]?.summary).toContain('Réaction mitigée des partisans, déçus');
  });

  it.each([
    ['UTF-16LE without a byte order mark', 'wild/utf16le-no-bom.xml'],
    ['UTF-16BE without a byte order mark', 'wild/utf16be-no-bom.xml'],
    ['UTF-32LE with a byte order mark', 'wild/utf32le-bom.xml'],
    ['UTF-32BE with a byte order mark', 'wild/utf32be-bom.xml'],
    ['UTF-32LE without a byte order mark', 'wild/utf32le-no-bom.xml'],
    ['UTF-32BE without a byte order mark', 'wild/utf32be-no-bom.xml'],
  ])('reads %s', async (_label, path) => {
    const feed = await serveAndParse(path, { contentType: 'application/xml' });
    expect(feed.title).toBe(greek.feedTitle);
    expect(feed.items[0]).toMatchObject({ title: greek.title, summary: greek.summary });
  });

  it('recovers stray windows-1252 bytes in a UTF-8 feed instead of storing U+FFFD', async () => {
    const feed = await serveAndParse('wild/utf8-stray-bytes.xml', { contentType: 'application/rss+xml; charset=utf-8' });
    expect(feed.items[0]).toMatchObject({
      title: 'Coach says “we go again”',
      summary: 'Café talk after the match… and a proper UTF-8 “quote” too.',
    });
  });

  it('still refuses binary junk', async () => {
    server.route('/served/junk', { kind: 'junk', bytes: 16 * 1024 });
    const result = await fetchFeed(server.url('/served/junk'), { allowPrivateNetworks: true });
    if (result.status !== 'ok') throw new Error('fetch failed');
    expect(() => parseFeed(result.body, { baseUrl: result.finalUrl, fetchedAt, contentType: result.contentType })).toThrow(FeedParseError);
  });
});

const markupPayloads = ['Scores tonight', 'Bold move', 'Photo finish', 'Click here', 'Framed', 'Styled'];
const markupForms = ['escaped', 'cdata', 'xhtml', 'inline'];

describe('markup in Atom 0.3 titles', () => {
  let feed: ParsedFeed;
  beforeAll(async () => {
    feed = await serveAndParse('wild/atom03-markup.xml', { contentType: 'application/atom+xml' });
  });

  it('reads the feed title as plain text', () => {
    expect(feed.title).toBe('Old Atom Blog');
  });

  it.each(markupForms.flatMap((form) => markupPayloads.map((text, index) => [`${form}-${String(index + 1)}`, text] as const)))(
    'reads the title of entry %s as the plain text %j',
    (id, text) => {
      const item = feed.items.find((candidate) => candidate.guid === `tag:old.example.org,2004:${id}`);
      expect(item).toMatchObject({ title: text, summary: text, author: `Desk ${id}` });
    },
  );
});

describe('Atom mode="base64"', () => {
  it('decodes base64 titles, summaries and content', async () => {
    const feed = await serveAndParse('wild/atom03-base64.xml', { contentType: 'application/atom+xml' });
    expect(feed.title).toBe('Encoded Sports');
    expect(feed.items[0]).toMatchObject({
      title: 'Quarter-final: 2 < 3 & rising',
      summary: 'A tight game in Zürich.',
      contentHtml: '<p>Full report: the <em>favourites</em> went through.</p>',
    });
    expect(feed.items[1]).toMatchObject({ title: 'Semi-final preview', contentHtml: '<p>Who goes through?</p>' });
  });
});

describe('entries without guid or link', () => {
  it('keeps every distinct entry, including those with only a link or only a guid', async () => {
    const feed = await serveAndParse('wild/identity-v1.xml');
    expect(feed.items.map((item) => item.title)).toEqual([
      'Lineup announced for Saturday',
      'Gates open early',
      'Gates open early',
      'Weather update',
      'Weather update',
      'clubhouse.example.com/photos/warmup',
      'Untitled',
      'clubhouse.example.com/notes/78',
    ]);
    expect(new Set(feed.items.map((item) => item.itemKey)).size).toBe(8);
    expect(feed.items[5]).toMatchObject({
      url: 'https://clubhouse.example.com/photos/warmup',
      itemKey: 'https://clubhouse.example.com/photos/warmup',
    });
    expect(feed.items[6]).toMatchObject({ guid: 'clubhouse-note-77', itemKey: 'clubhouse-note-77' });
    expect(feed.items[7]).toMatchObject({ url: 'https://clubhouse.example.com/notes/78' });
  });

  it('gives an edited entry the same key and a new content hash, and a new look-alike entry a new key', async () => {
    const before = await serveAndParse('wild/identity-v1.xml');
    const after = await serveAndParse('wild/identity-v2.xml');
    const lineup = (feed: ParsedFeed) => feed.items.find((item) => item.title === 'Lineup announced for Saturday');
    expect(lineup(after)?.itemKey).toBe(lineup(before)?.itemKey);
    expect(lineup(after)?.contentHash).not.toBe(lineup(before)?.contentHash);
    const oldKeys = new Set(before.items.map((item) => item.itemKey));
    const added = after.items.filter((item) => !oldKeys.has(item.itemKey));
    expect(added.map((item) => item.title)).toEqual(['Weather update']);
    expect(after.items[0]?.title).toBe('Weather update');
    expect(added[0]).toBe(after.items[0]);
  });
});

describe('dates', () => {
  it.each([
    ['dc-date-first', '2024-04-01T10:00:00.000Z'],
    ['unreadable-first', '2024-04-03T07:30:00.000Z'],
    ['dcterms-created', '2024-04-04T08:00:00.000Z'],
    ['eastern-time', '2024-04-03T14:00:00.000Z'],
    ['slash-date', '2006-09-15T12:19:53.000Z'],
    ['german', '2024-04-10T16:30:00.000Z'],
    ['hour-suffix', fetchedAt.toISOString()],
  ])('dates the RSS entry %s at %s', async (guid, expected) => {
    const feed = await serveAndParse('wild/dates.xml');
    expect(feed.items.find((item) => item.guid === guid)?.publishedAt.toISOString()).toBe(expected);
  });

  it('uses the first of Atom 0.3 created and issued, and dcterms:created', async () => {
    const feed = await serveAndParse('wild/dates-atom03.xml', { contentType: 'application/atom+xml' });
    expect(feed.items.map((item) => item.publishedAt.toISOString())).toEqual(['2004-05-01T09:00:00.000Z', '2004-04-20T12:00:00.000Z']);
    expect(feed.items[0]?.updatedAt?.toISOString()).toBe('2004-05-03T09:00:00.000Z');
  });
});

describe('unclosed embeds', () => {
  it('keeps the text after an unclosed object or iframe', async () => {
    const feed = await serveAndParse('wild/unclosed-embeds.xml');
    expect(feed.items.map((item) => item.summary)).toEqual([
      'Watch the goals. The winner came in stoppage time.',
      'Fans stormed the pitch afterwards.',
      'Before the video. After the video.',
    ]);
    expect(feed.items[0]?.contentHtml).toBe('<p>Watch the goals.</p><p>The winner came in stoppage time.</p>');
    expect(feed.items[1]?.contentHtml).toBe('Fans stormed the pitch afterwards.');
  });
});

describe('fallback fields', () => {
  it('uses dc:title, media:title, itunes:author, itunes:summary and media:description when the usual fields are missing', async () => {
    const feed = await serveAndParse('wild/fallbacks.xml');
    expect(feed.title).toBe('The Bench Podcast');
    expect(feed.items[0]).toMatchObject({
      title: 'Episode 12: Trade deadline special',
      author: 'Sam Host',
      summary: 'Everything that moved at the deadline.',
    });
    expect(feed.items[1]).toMatchObject({ title: 'Clip 3: Buzzer beater', summary: 'The shot from half court.' });
    expect(feed.items[2]).toMatchObject({ title: 'Clip 4', summary: 'Defensive highlights of the week.' });
  });

  it('resolves relative links against the Content-Location the server names', async () => {
    const feed = await serveAndParse('wild/content-location.xml', { headers: { 'content-location': '/archive/2024/feed.xml' } });
    expect(feed.link).toBe(server.url('/archive/2024/'));
    expect(feed.items[0]?.url).toBe(server.url('/archive/2024/stories/relative-1.html'));
    expect(feed.items[0]?.contentHtml).toContain(`href="${server.url('/archive/2024/photos/1.html')}"`);
  });
});

/** What a plain-text field must never hold: tags, comments, CDATA, event handlers, script URLs or character references. */
const markupPatterns = [
  /<\/?[a-z][\w:-]*[\s/>]/i,
  /<!--/,
  /<!\[CDATA\[/,
  /\bon[a-z]+\s*=/i,
  /javascript:/i,
  /&[a-z][a-z0-9]*;/i,
  /&#\d+;/,
  /&#x[0-9a-f]+;/i,
];
const hasMarkup = (value: string) => markupPatterns.some((pattern) => pattern.test(value));

/** Text-typed fields whose brackets are the publisher's literal text, not markup. */
const literalText = new Set(['Corners <win> games.']);

const fixtureContentTypes: Readonly<Record<string, string>> = {
  'wild/utf8-stale-declaration.xml': 'application/rss+xml; charset=utf-8',
  'wild/cp1252-stale-utf8-declaration.xml': 'application/rss+xml; charset=windows-1252',
  'wild/utf8-stray-bytes.xml': 'application/rss+xml; charset=utf-8',
};

const refused = new Set(['billion-laughs.xml', 'xxe.xml', 'not-a-feed.html', 'malformed.xml']);

function fixturePaths(): string[] {
  const top = readdirSync(new URL('../fakes/feeds/', import.meta.url)).filter((name) => name.includes('.') && !refused.has(name));
  const wild = readdirSync(new URL('../fakes/feeds/wild/', import.meta.url)).map((name) => `wild/${name}`);
  return [...top, ...wild];
}

describe('every text field of every fixture is plain text', () => {
  it.each(fixturePaths())('%s', async (path) => {
    const feed = await serveAndParse(path, { contentType: fixtureContentTypes[path] ?? 'application/xml' });
    const fields = [feed.title, ...feed.items.flatMap((item) => [item.title, item.author, item.summary])];
    const offending = fields.filter((value): value is string => value !== undefined && !literalText.has(value) && hasMarkup(value));
    expect(offending).toEqual([]);
    expect(feed.items.length).toBeGreaterThan(0);
  });
});
