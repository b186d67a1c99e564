import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { declaresEntities, FeedParseError, parseFeed, type FeedParseFailure } from './parse.ts';

const options = { baseUrl: 'https://example.com/feed', fetchedAt: new Date('2024-05-01T12:00:00Z') };

function failure(body: Buffer | string, extra: Partial<typeof options> & { maxBytes?: number } = {}): FeedParseFailure | 'parsed' {
  try {
    parseFeed(body, { ...options, ...extra });
    return 'parsed';
  } catch (error) {
    if (error instanceof FeedParseError) return error.reason;
    throw error;
  }
}

const minimalRss =
  '<rss version="2.0"><channel><title>x</title><link>https://example.com/</link><description>d</description><item><title>café</title></item></channel></rss>';

describe('parseFeed', () => {
  it('refuses a document that declares entities (billion laughs)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><rss version="2.0"><channel><title>&lol2;</title><item><title>&lol2;</title></item></channel></rss>`;
    expect(failure(bomb)).toBe('entities');
  });

  it('refuses a document that declares an external entity (XXE)', () => {
    expect(
      failure(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>',
      ),
    ).toBe('entities');
  });

  it('is not fooled by a ] hidden in a comment before the entity', () => {
    expect(
      failure(
        '<!DOCTYPE r [<!-- ] --><!ENTITY a "b">]><rss version="2.0"><channel><title>&a;</title><item><title>t</title></item></channel></rss>',
      ),
    ).toBe('entities');
  });

  it('accepts the public DTD of RSS 0.91', () => {
    const rss091 = `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old</title><link>https://example.com/</link><description>d</description><item><title>i</title><link>https://example.com/i</link></item></channel></rss>`;
    expect(parseFeed(rss091, options).items).toHaveLength(1);
  });

  it('refuses binary junk', () => {
    const junk = Buffer.from(Array.from({ length: 2048 }, (_, index) => (index * 7919) % 256));
    expect(failure(junk)).toBe('binary');
  });

  it('refuses a gzip body that was never decompressed', () => {
    expect(failure(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]))).toBe('binary');
  });

  it('refuses an HTML page', () => {
    expect(failure('<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>')).toBe('not-a-feed');
    expect(failure('<!-- page --><html><body>hi</body></html>')).toBe('not-a-feed');
  });

  it('refuses XML that is not a feed', () => {
    expect(failure('<?xml version="1.0"?><note><to>x</to></note>')).toBe('not-a-feed');
  });

  it('refuses JSON that is not a JSON Feed', () => {
    expect(failure('{"hello":"world"}')).toBe('not-a-feed');
  });

  it('refuses plain text', () => {
    expect(failure('just some words')).toBe('not-a-feed');
  });

  it('refuses an empty document', () => {
    expect(failure('  \n ')).toBe('empty');
  });

  it('refuses a document over the size cap before parsing it', () => {
    expect(failure(minimalRss, { maxBytes: 100 })).toBe('too-large');
  });

  it('refuses a malformed feed', () => {
    expect(failure('<rss version="2.0"><channel></channel></rss>')).toBe('malformed');
  });

  it('decodes the charset the XML declaration names', () => {
    const latin1 = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${minimalRss}`, 'latin1');
    expect(parseFeed(latin1, options).items[0]?.title).toBe('café');
  });

  it('decodes the charset of the Content-Type header', () => {
    const latin1 = Buffer.from(minimalRss, 'latin1');
    expect(parseFeed(latin1, { ...options, contentType: 'application/rss+xml; charset=windows-1252' }).items[0]?.title).toBe('café');
  });

  it('honours a UTF-8 byte order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(minimalRss)]);
    expect(parseFeed(withBom, options).items[0]?.title).toBe('café');
  });

  it.each([
    [0x80, '€'],
    [0x82, '‚'],
    [0x84, '„'],
    [0x85, '…'],
    [0x86, '†'],
    [0x89, '‰'],
    [0x8a, 'Š'],
    [0x8c, 'Œ'],
    [0x91, '‘'],
    [0x92, '’'],
    [0x93, '“'],
    [0x94, '”'],
    [0x95, '•'],
    [0x96, '–'],
    [0x97, '—'],
    [0x99, '™'],
    [0x9c, 'œ'],
    [0x9f, 'Ÿ'],
  ])('decodes the windows-1252 byte %i as %s', (byte, character) => {
    const document = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>x</title><item><title>a'),
      Buffer.from([byte]),
      Buffer.from('b</title></item></channel></rss>'),
    ]);
    expect(parseFeed(document, options).items[0]?.title).toBe(`a${character}b`);
  });

  it('prefers the HTTP charset to the XML declaration', () => {
    const utf8 = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${minimalRss}`, 'utf8');
    expect(parseFeed(utf8, { ...options, contentType: 'application/xml; charset=UTF-8' }).items[0]?.title).toBe('café');
  });

  it('reads an undeclared single-byte document instead of calling it binary', () => {
    const latin1 = Buffer.from(minimalRss.replace('café', 'é à è ç ù ê î ô û ë ï ü é à è'), 'latin1');
    expect(parseFeed(latin1, options).items[0]?.title).toBe('é à è ç ù ê î ô û ë ï ü é à è');
  });

  it('reads UTF-32 with and without a byte order mark', () => {
    const encode = (text: string, littleEndian: boolean) => iconv.encode(text, littleEndian ? 'utf-32le' : 'utf-32be', { addBOM: false });
    expect(parseFeed(encode(`\uFEFF${minimalRss}`, true), options).items[0]?.title).toBe('café');
    expect(parseFeed(encode(`\uFEFF${minimalRss}`, false), options).items[0]?.title).toBe('café');
    expect(parseFeed(encode(minimalRss, true), options).items[0]?.title).toBe('café');
    expect(parseFeed(encode(minimalRss, false), options).items[0]?.title).toBe('café');
  });

  it('resolves links against an http(s) Content-Location and ignores any other', () => {
    const rss = minimalRss.replace('<item><title>café</title>', '<item><title>café</title><link>story</link>');
    expect(parseFeed(rss, { ...options, contentLocation: '/news/2024/feed.xml' }).items[0]?.url).toBe(
      'https://example.com/news/2024/story',
    );
    expect(parseFeed(rss, { ...options, contentLocation: 'javascript:alert(1)' }).items[0]?.url).toBe('https://example.com/story');
  });

  it('reads no more than maxItems entries', () => {
    const many = `<rss version="2.0"><channel><title>x</title><link>https://example.com/</link><description>d</description>${Array.from({ length: 30 }, (_, index) => `<item><guid>${String(index)}</guid><title>t${String(index)}</title></item>`).join('')}</channel></rss>`;
    expect(parseFeed(many, { ...options, maxItems: 10 }).items).toHaveLength(10);
  });
});

describe('declaresEntities', () => {
  it('looks past the XML declaration, comments and processing instructions', () => {
    expect(declaresEntities('<?xml version="1.0"?>\n<!-- c --><?xml-stylesheet href="s.xsl"?><!DOCTYPE x [<!ENTITY e "v">]><x/>')).toBe(
      true,
    );
  });

  it('ignores entity declarations that appear only in content', () => {
    expect(declaresEntities('<rss><channel><description><![CDATA[<!DOCTYPE x [<!ENTITY e "v">]>]]></description></channel></rss>')).toBe(
      false,
    );
  });
});
