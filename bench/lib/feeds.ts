/*
 * The generated feeds the ingestion benches store: deterministic RSS 2.0 documents of realistic size
 * over a news-like vocabulary, so every run ingests the same documents.
 */

/** A deterministic stream of numbers in [0, 1), so every run ingests the same documents. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const words = (
  'season game night coach roster trade deadline injury report rookie veteran guard forward center defense offense ' +
  'rebound assist three pointer fourth quarter overtime playoff seed standings streak home road crowd arena locker ' +
  'room practice film session contract extension agent front office draft pick prospect scout bench rotation minutes'
).split(' ');
const teamsNamed = ['Celtics', 'Knicks', 'Lakers', 'Warriors', 'Boston Celtics', 'Sixers', 'Bucks', 'Heat', 'Nuggets', 'Suns'];

/*
 * A news-sized vocabulary: the sports words above and a few thousand made-up words, the common
 * ones drawn far more often (as in real text). With only the sports words every article would
 * share most of its words with every other one and count as the same story.
 */
const syllables = 'ba ko ri te mu sa le po ni da ve gu lo fi ra zo me ta ku ne'.split(' ');
const vocabulary = [
  ...words,
  ...syllables.flatMap((first) => syllables.flatMap((second) => syllables.map((third) => `${first}${second}${third}`))),
];

function sentence(next: () => number, length: number): string {
  const picked = Array.from({ length }, () => vocabulary[Math.floor(next() ** 2 * vocabulary.length)] ?? 'game');
  const text = picked.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** One RSS 2.0 feed of `items` entries, about 2.5 KB each (title, summary, full HTML body). */
export function generateFeed(feedIndex: number, items: number, batch: string): { url: string; xml: Buffer } {
  const next = generator(feedIndex * 7919 + batch.charCodeAt(0) * 104_729);
  const host = `feed${String(feedIndex)}-${batch}.example.com`;
  const now = Date.now();
  const entries: string[] = [];
  for (let index = 0; index < items; index++) {
    const team = teamsNamed[Math.floor(next() * teamsNamed.length)] ?? 'Celtics';
    const title = `${team} ${sentence(next, 6 + Math.floor(next() * 6))
      .toLowerCase()
      .slice(0, -1)}`;
    const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${String(index)}`;
    const paragraphs = Array.from(
      { length: 5 },
      (_, paragraph) =>
        `<p>${sentence(next, 25)} <a href="/related/${String(paragraph)}">${sentence(next, 3)}</a> ${sentence(next, 20)} <strong>${team}</strong> ${sentence(next, 12)}</p>`,
    ).join('');
    entries.push(
      [
        '<item>',
        `<title>${title}</title>`,
        `<link>https://${host}/news/${slug}?utm_source=rss&amp;utm_medium=feed</link>`,
        `<guid isPermaLink="false">${host}-${String(index)}</guid>`,
        `<pubDate>${new Date(now - Math.floor(next() * 30 * 86_400_000)).toUTCString()}</pubDate>`,
        `<dc:creator>Reporter ${String(Math.floor(next() * 40))}</dc:creator>`,
        `<description><![CDATA[<p>${sentence(next, 30)} ${sentence(next, 20)}</p>]]></description>`,
        `<content:encoded><![CDATA[${paragraphs}<img src="/photos/${slug}.jpg" alt="${team}" /><script>track()</script><img src="https://pixel.example.com/t.gif" width="1" height="1" />]]></content:encoded>`,
        '</item>',
      ].join(''),
    );
  }
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    `<channel><title>Feed ${String(feedIndex)}</title><link>https://${host}/</link><description>Basketball news</description><ttl>30</ttl>`,
    ...entries,
    '</channel></rss>',
  ].join('\n');
  return { url: `https://${host}/feed.xml`, xml: Buffer.from(xml) };
}
