import type { AnyFeed } from 'feedsmith';
import type { SourceKind } from '@pressbox/db';
import { effectiveDate, parseFeedDate } from './dates.ts';
import { orderDatesByDocument } from './entry-dates.ts';
import {
  atomEntry,
  atomMeta,
  jsonEntry,
  jsonMeta,
  rdfEntry,
  rdfMeta,
  rssEntry,
  rssMeta,
  type FeedMeta,
  type RawEntry,
} from './feed-entries.ts';
import { entryKeys, finishKeys, sha256 } from './identity.ts';
import { htmlToText, sanitizeContent, textToHtml, truncateText } from './sanitize.ts';
import type { FeedItem, ParsedFeed } from './types.ts';
import { canonicalizeUrl, MAX_URL_LENGTH, resolveBase, resolveHttpUrl } from './urls.ts';

export type { RawEntry } from './feed-entries.ts';

export const MAX_TITLE_LENGTH = 500;
export const MAX_SUMMARY_LENGTH = 600;
const MAX_AUTHOR_LENGTH = 200;
/** Title made up from the text when an entry has none. */
const DERIVED_TITLE_LENGTH = 120;

export interface NormalizeContext {
  /** The URL the document was fetched from (after redirects): the base of every relative link. */
  baseUrl: string;
  /** An `xml:base` on the RSS `<channel>`, which the parser does not report. */
  channelBase?: string | undefined;
  fetchedAt: Date;
  /** The XML text that was parsed, to read what the parser does not report (the order of date elements). */
  documentText?: string | undefined;
}

/**
 * Turns the raw structure the parser returns into Pressbox's feed and items: absolute http(s)
 * URLs resolved through `xml:base`, plain-text titles and summaries, sanitized HTML, UTC dates
 * (fetch time when missing or in the future), per-source item keys and content hashes.
 *
 * @example
 * const parsed = normalizeFeed(parseFeed(xml), { baseUrl: 'https://example.com/feed', fetchedAt: new Date() });
 */
export function normalizeFeed(document: AnyFeed, context: NormalizeContext): ParsedFeed {
  switch (document.format) {
    case 'rss': {
      const channelBase = resolveBase(context.channelBase, resolveBase(document.feed.xml?.base, context.baseUrl));
      return finish(
        'RSS',
        rssMeta(document.feed, channelBase),
        (document.feed.items ?? []).map((item) => rssEntry(item, channelBase)),
        context,
      );
    }
    case 'rdf': {
      const rootBase = resolveBase(document.feed.xml?.base, context.baseUrl);
      return finish(
        'RDF',
        rdfMeta(document.feed, rootBase),
        (document.feed.items ?? []).map((item) => rdfEntry(item, rootBase)),
        context,
      );
    }
    case 'atom': {
      const feedBase = resolveBase(document.feed.xml?.base, context.baseUrl);
      const feedAuthor = document.feed.authors?.[0]?.name;
      return finish(
        'ATOM',
        atomMeta(document.feed, feedBase),
        (document.feed.entries ?? []).map((entry) => atomEntry(entry, feedBase, feedAuthor)),
        context,
      );
    }
    case 'json': {
      const feedAuthor = document.feed.authors?.[0]?.name;
      return finish(
        'JSON_FEED',
        jsonMeta(document.feed, context.baseUrl),
        (document.feed.items ?? []).map((item) => jsonEntry(item, context.baseUrl, feedAuthor)),
        context,
      );
    }
  }
}

function finish(kind: SourceKind, meta: FeedMeta, entries: RawEntry[], context: NormalizeContext): ParsedFeed {
  const ordered = orderDatesByDocument(
    context.documentText,
    entries.map((entry) => entry.dates ?? []),
  );
  const normalized = entries.flatMap((entry, index) => normalizeEntry({ ...entry, dates: ordered[index] }, context.fetchedAt) ?? []);
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const item of finishKeys(normalized)) {
    if (seen.has(item.itemKey)) continue;
    seen.add(item.itemKey);
    items.push(item);
  }
  const titleText = meta.title === undefined ? '' : meta.titleIsHtml ? htmlToText(meta.title) : meta.title.replace(/\s+/g, ' ').trim();
  const title = truncateText(titleText, MAX_TITLE_LENGTH);
  return {
    kind,
    ...(title === '' ? {} : { title }),
    ...(meta.link === undefined ? {} : { link: meta.link }),
    ...(meta.ttlMinutes === undefined ? {} : { ttlMinutes: meta.ttlMinutes }),
    items,
  };
}

/** The body of an entry: content, else content text, else the description (most RSS feeds work so). */
function contentOf(entry: RawEntry): string | undefined {
  const contentBase = entry.contentBase ?? entry.base;
  return (
    sanitizeContent(entry.contentHtml, contentBase) ??
    (entry.contentText === undefined ? undefined : sanitizeContent(textToHtml(entry.contentText), contentBase)) ??
    sanitizeContent(entry.summaryHtml, entry.base)
  );
}

/** A headline for an entry that has only a link: its host and path. */
function titleFromUrl(url: string): string {
  const { host, pathname } = new URL(url);
  let path = pathname.replace(/\/+$/, '');
  try {
    path = decodeURI(path);
  } catch {
    // Keep the encoded path: it is still readable.
  }
  return truncateText(`${host}${path}`, DERIVED_TITLE_LENGTH);
}

function titleOf(titleText: string, summary: string, url: string | undefined): string {
  if (titleText !== '') return truncateText(titleText, MAX_TITLE_LENGTH);
  if (summary !== '') return truncateText(summary, DERIVED_TITLE_LENGTH);
  return url === undefined ? 'Untitled' : titleFromUrl(url);
}

/** The first of the entry's publication dates that can be read. */
function ownDateOf(dates: readonly string[] | undefined): Date | undefined {
  for (const raw of dates ?? []) {
    const date = parseFeedDate(raw);
    if (date) return date;
  }
  return undefined;
}

/**
 * Cleans one entry, or returns undefined when it has nothing to show or to recognise it by
 * (no title, text, link, guid or enclosure). Its key comes from `entryKeys`; `finishKeys` makes
 * the keys of a whole document unique.
 *
 * @example
 * normalizeEntry({ title: 'Hello', titleIsHtml: false, base: 'https://example.com/', link: '/a' }, new Date());
 */
export function normalizeEntry(raw: RawEntry, fetchedAt: Date): FeedItem | undefined {
  const entry = withoutControlCharacters(raw);
  const contentHtml = contentOf(entry);
  const summarySource = htmlToText(entry.summaryHtml);
  const summary = truncateText(summarySource !== '' ? summarySource : htmlToText(contentHtml), MAX_SUMMARY_LENGTH);
  const rawTitle = entry.title ?? '';
  const titleText = entry.titleIsHtml ? htmlToText(rawTitle) : rawTitle.replace(/\s+/g, ' ').trim();
  const url = resolveHttpUrl(entry.link, entry.base);
  const guid = entry.guid?.trim() === '' ? undefined : entry.guid?.trim();
  const enclosureUrl = resolveHttpUrl(entry.enclosureUrl, entry.base);
  if (
    titleText === '' &&
    summary === '' &&
    contentHtml === undefined &&
    url === undefined &&
    guid === undefined &&
    enclosureUrl === undefined
  )
    return undefined;
  const title = titleOf(titleText, summary, url);
  const canonicalUrl = url === undefined ? undefined : canonicalizeUrl(url);
  const authorText = entry.author === undefined ? '' : truncateText(htmlToText(entry.author), MAX_AUTHOR_LENGTH);
  const own = ownDateOf(entry.dates);
  const updated = parseFeedDate(entry.updated);
  const publishedAt = effectiveDate(own ?? updated, fetchedAt);
  const keys = entryKeys({
    guid,
    url,
    enclosureUrl,
    ownTitle: titleText === '' ? '' : truncateText(titleText, MAX_TITLE_LENGTH),
    ownDate: own,
    text: contentHtml ?? summary,
    legacyText: `${title}\n${contentHtml ?? summary}`,
  });
  return {
    ...(guid === undefined ? {} : { guid: guid.slice(0, MAX_URL_LENGTH) }),
    ...(url === undefined ? {} : { url }),
    ...(canonicalUrl === undefined ? {} : { canonicalUrl }),
    title,
    ...(authorText === '' ? {} : { author: authorText }),
    summary,
    ...(contentHtml === undefined ? {} : { contentHtml }),
    publishedAt,
    ...(updated === undefined ? {} : { updatedAt: updated.getTime() > fetchedAt.getTime() ? fetchedAt : updated }),
    ...keys,
    contentHash: sha256(`${title}\u0000${summary}\u0000${contentHtml ?? ''}`),
  };
}

/** C0 controls except tab, line feed and carriage return, and DEL. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Postgres text cannot hold NUL, and no control character belongs in a headline: drop them all.
 * An entry without any is returned as it is.
 */
function withoutControlCharacters(entry: RawEntry): RawEntry {
  let cleaned: RawEntry | undefined;
  for (const name of Object.keys(entry) as (keyof RawEntry)[]) {
    const value = entry[name];
    if (typeof value === 'string' && CONTROL_CHARACTER.test(value)) {
      cleaned ??= { ...entry };
      Object.assign(cleaned, { [name]: stripControls(value) });
    }
  }
  if (entry.dates?.some((date) => CONTROL_CHARACTER.test(date))) {
    cleaned ??= { ...entry };
    cleaned.dates = entry.dates.map(stripControls);
  }
  return cleaned ?? entry;
}

function stripControls(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '');
}
