import fc from 'fast-check';

export type SourceLink = 'teams' | 'league' | 'both' | 'neither';
export type FeedFormat = 'rss' | 'atom' | 'json';
export const leagues = ['NBA', 'NFL', 'MLB', 'NHL', 'PREMIER_LEAGUE'] as const;
export type GeneratedLeague = (typeof leagues)[number];

/** One entry; `mentions` picks teams of the source's league by position, named in the title. */
export interface GeneratedEntry {
  mentions: number[];
  withGuid: boolean;
  withLink: boolean;
  words: string;
}

export interface GeneratedSource {
  league: GeneratedLeague;
  link: SourceLink;
  /** Positions of the linked teams among the league's teams. */
  teams: number[];
  format: FeedFormat;
  /** The publisher answers 500 instead of the document. */
  broken: boolean;
  entries: GeneratedEntry[];
}

const entryArbitrary: fc.Arbitrary<GeneratedEntry> = fc.record({
  mentions: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 2 }),
  withGuid: fc.boolean(),
  withLink: fc.boolean(),
  words: fc.constantFrom('trade talks', 'injury report', 'late winner', 'coach interview', 'season preview', 'draft pick'),
});

export const sourceArbitrary: fc.Arbitrary<GeneratedSource> = fc.record({
  league: fc.constantFrom(...leagues),
  link: fc.constantFrom<SourceLink>('teams', 'league', 'both', 'neither'),
  teams: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }),
  format: fc.constantFrom<FeedFormat>('rss', 'atom', 'json'),
  broken: fc.integer({ min: 0, max: 4 }).map((draw) => draw === 0),
  entries: fc.array(entryArbitrary, { minLength: 0, maxLength: 6 }),
});

export const scenarioArbitrary = fc.array(sourceArbitrary, { minLength: 1, maxLength: 5 });

export interface RenderedEntry {
  guid: string | undefined;
  link: string | undefined;
  title: string;
  summary: string;
  publishedAt: Date;
}

/** The entries of a generated source with their text filled in from the league's team names. */
export function renderEntries(source: GeneratedSource, teamNames: readonly string[], tag: string): RenderedEntry[] {
  return source.entries.map((entry, index) => {
    const named = entry.mentions.flatMap((position) => teamNames[position % Math.max(1, teamNames.length)] ?? []);
    return {
      guid: entry.withGuid ? `${tag}-guid-${String(index)}` : undefined,
      link: entry.withLink ? `https://diff.example/${tag}/story-${String(index)}` : undefined,
      title: `${named.join(' and ') || 'League'} ${entry.words} ${tag} ${String(index)}`,
      summary: `Story ${String(index)} of ${tag}: ${entry.words}.`,
      publishedAt: new Date(Date.UTC(2026, 9, 1) + index * 60_000),
    };
  });
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The document a publisher would serve for these entries. */
export function renderFeed(format: FeedFormat, title: string, entries: readonly RenderedEntry[]): { body: string; contentType: string } {
  if (format === 'json') {
    const items = entries.map((entry, index) => ({
      id: entry.guid ?? entry.link ?? `${title}-${String(index)}`,
      ...(entry.link ? { url: entry.link } : {}),
      title: entry.title,
      summary: entry.summary,
      date_published: entry.publishedAt.toISOString(),
    }));
    return { body: JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title, items }), contentType: 'application/feed+json' };
  }
  if (format === 'atom') {
    const items = entries.map(
      (entry, index) =>
        `<entry><id>${escape(entry.guid ?? entry.link ?? `urn:${title}:${String(index)}`)}</id><title>${escape(entry.title)}</title>` +
        `${entry.link ? `<link href="${escape(entry.link)}"/>` : ''}<summary>${escape(entry.summary)}</summary>` +
        `<updated>${entry.publishedAt.toISOString()}</updated><published>${entry.publishedAt.toISOString()}</published></entry>`,
    );
    return {
      body: `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${escape(title)}</title><id>urn:${escape(title)}</id><updated>2026-10-01T00:00:00Z</updated>${items.join('')}</feed>`,
      contentType: 'application/atom+xml',
    };
  }
  const items = entries.map(
    (entry) =>
      `<item>${entry.guid ? `<guid isPermaLink="false">${escape(entry.guid)}</guid>` : ''}<title>${escape(entry.title)}</title>` +
      `${entry.link ? `<link>${escape(entry.link)}</link>` : ''}<description>${escape(entry.summary)}</description><pubDate>${entry.publishedAt.toUTCString()}</pubDate></item>`,
  );
  return {
    body: `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${escape(title)}</title><link>https://diff.example/</link><description>d</description>${items.join('')}</channel></rss>`,
    contentType: 'application/rss+xml; charset=utf-8',
  };
}
