import { readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  feedParserThread,
  FeedParseError,
  OFF_THREAD_BYTES,
  parseHere,
  sharedFeedParser,
  type FeedParserThread,
  type ParsedFeed,
} from '@pressbox/jobs';
import { afterAll, describe, expect, it } from 'vitest';
import { readFixtureBytes } from '../fakes/feed-server.ts';
import { spawnInRepo } from '../support/process.ts';

const options = { baseUrl: 'https://feeds.example/feed.xml', fetchedAt: new Date('2024-05-01T12:00:00Z') };
const fixtures = [
  ...readdirSync(new URL('../fakes/feeds/', import.meta.url), { withFileTypes: true }).flatMap((entry) =>
    entry.isFile() ? [entry.name] : [],
  ),
  ...readdirSync(new URL('../fakes/feeds/wild/', import.meta.url)).map((name) => `wild/${name}`),
];

/** A feed of `items` entries with bodies of `paragraphs` paragraphs: megabytes of XML to parse. */
function largeFeed(items: number, title = 'Large', paragraphs = 40): Buffer {
  const body = '<p>The Celtics held off the Knicks in the fourth quarter at the Garden. </p>'.repeat(paragraphs);
  const entries = Array.from(
    { length: items },
    (_, index) =>
      `<item><title>${title} story ${String(index)}</title><link>https://feeds.example/${String(index)}</link>` +
      `<pubDate>Tue, 30 Apr 2024 20:00:00 GMT</pubDate><description><![CDATA[${body}]]></description></item>`,
  );
  return Buffer.from(
    `<rss version="2.0"><channel><title>${title}</title><link>https://feeds.example/</link>${entries.join('')}</channel></rss>`,
  );
}

/** How many turns this thread's event loop took while `parse` ran. */
async function turnsDuring(parse: () => Promise<ParsedFeed>): Promise<number> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  await parse();
  done = true;
  return turns;
}

/** What a parse gives: the feed, or the reason and message of its refusal, with the error's class. */
async function outcome(parse: Promise<ParsedFeed>): Promise<unknown> {
  try {
    return { feed: await parse };
  } catch (error) {
    if (error instanceof FeedParseError) return { refused: error.reason, message: error.message };
    throw error;
  }
}

describe('parsing feeds off the event loop', () => {
  const threads: FeedParserThread[] = [];
  const started = (timeoutMs?: number) => {
    const thread = feedParserThread(timeoutMs === undefined ? {} : { timeoutMs });
    threads.push(thread);
    return thread;
  };
  afterAll(async () => {
    await Promise.all(threads.map((thread) => thread.close()));
  });

  it('gives what parsing here gives for every fixture, refusals with their reason, dates as dates', async () => {
    const thread = started();
    expect(fixtures.length).toBeGreaterThan(20);
    for (const name of fixtures) {
      const bytes = readFixtureBytes(name);
      const [there, here] = [await outcome(thread.parse(bytes, options)), await outcome(parseHere(bytes, options))];
      expect(there, name).toEqual(here);
    }
    const feed = await thread.parse(readFixtureBytes('rss2.xml'), options);
    expect(feed.items[0]?.publishedAt).toBeInstanceOf(Date);
    expect(await outcome(thread.parse(readFixtureBytes('rss2.xml'), { ...options, maxBytes: 100 }))).toMatchObject({
      refused: 'too-large',
    });
  });

  it('leaves this thread free while a large document parses', async () => {
    const thread = started();
    await thread.parse(largeFeed(1), options);
    const large = largeFeed(400);
    expect(large.length).toBeGreaterThan(1_000_000);
    expect(await turnsDuring(() => parseHere(large, options))).toBe(0);
    expect(await turnsDuring(() => thread.parse(large, options))).toBeGreaterThan(10);
  });

  it('parses documents from OFF_THREAD_BYTES on in the thread and smaller ones here, as the workers do', async () => {
    const parse = sharedFeedParser();
    const [small, large] = [largeFeed(3), largeFeed(400)];
    expect(large.length).toBeGreaterThanOrEqual(OFF_THREAD_BYTES);
    expect(small.length).toBeLessThan(OFF_THREAD_BYTES);
    expect(await turnsDuring(() => parse(small, options))).toBe(0);
    expect(await turnsDuring(() => parse(large, options))).toBeGreaterThan(10);
    expect((await parse(large, options)).items).toHaveLength(400);
  });

  it('refuses a document that parses too long, and the thread that replaces it parses what was queued behind it', async () => {
    const thread = started(100);
    const huge = largeFeed(900, 'Huge', 120);
    expect(huge.length).toBeGreaterThan(8_000_000);
    const slow = outcome(thread.parse(huge, options));
    const queued = outcome(thread.parse(Buffer.from(''), options));
    const next = outcome(thread.parse(largeFeed(2, 'Next'), options));
    expect(await slow).toEqual({ refused: 'too-slow', message: 'the document took longer than 100 ms to parse' });
    // Sent again to the new thread, and answered there on its own merits.
    expect(await queued).toMatchObject({ refused: 'empty' });
    expect(await next).toMatchObject({ feed: { title: 'Next' } });
  });

  it('rejects what is waiting when closed, and the built package parses off thread and lets its process exit', async () => {
    const thread = started();
    // Expected before closing: the rejection comes while `close` runs.
    const waiting = expect(thread.parse(largeFeed(200), options)).rejects.toThrow(/closed/);
    await thread.close();
    await waiting;

    const script = join(await mkdtemp(join(tmpdir(), 'pressbox-parser-')), 'parse.mjs');
    await writeFile(
      script,
      `import { feedParserThread } from ${JSON.stringify(new URL('../../jobs/dist/index.js', import.meta.url).href)};
const feed = await feedParserThread().parse(Buffer.from(process.env.FEED), { baseUrl: 'https://feeds.example/', fetchedAt: new Date() });
console.log(JSON.stringify({ title: feed.title, items: feed.items.length }));`,
    );
    const child = spawnInRepo('node', [script], { FEED: largeFeed(3, 'Built').toString() });
    const exited = await Promise.race([
      child.exited,
      new Promise((resolve) => {
        setTimeout(() => {
          resolve('still running');
        }, 20_000);
      }),
    ]);
    if (exited === 'still running') child.child.kill('SIGKILL');
    expect({ exited, stdout: child.stdout().trim(), stderr: child.stderr() }).toEqual({
      exited: 0,
      stdout: JSON.stringify({ title: 'Built', items: 3 }),
      stderr: '',
    });
  });
});
