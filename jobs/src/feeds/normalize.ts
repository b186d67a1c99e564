import { createHash } from 'node:crypto';
import type { AnyFeed, AtomFeed, JsonFeed, RdfFeed, RssFeed } from 'feedsmith';
import type { SourceKind } from '@pressbox/db';
import { effectivePublishedAt, parseFeedDate } from './dates.ts';
import { htmlToText, sanitizeContent, textToHtml, truncateText } from './sanitize.ts';
import type { FeedItem, ParsedFeed } from './types.ts';
import { canonicalizeUrl, MAX_URL_LENGTH, resolveBase, resolveHttpUrl } from './urls.ts';

export const MAX_TITLE_LENGTH = 500;
export const MAX_SUMMARY_LENGTH = 600;
const MAX_AUTHOR_LENGTH = 200;
/** Keys longer than this are hashed: they must fit a btree index and say nothing more when long. */
const MAX_KEY_LENGTH = 512;
/** Title made up from the text when an entry has none. */
const DERIVED_TITLE_LENGTH = 120;

export interface NormalizeContext {
  /** The URL the document was fetched from (after redirects): the base of every relative link. */
  baseUrl: string;
  /** An `xml:base` on the RSS `<channel>`, which the parser does not report. */
  channelBase?: string | undefined;
  fetchedAt: Date;
}

/**
 * A format-neutral view of one entry, before cleaning. `titleIsHtml` says whether the title may
 * hold markup (RSS titles often do; Atom says so with `type`).
 */
export interface RawEntry {
  guid?: string | undefined;
  link?: string | undefined;
  /** Base of the entry's link (`xml:base` chain). */
  base: string;
  /** Base of links inside the content, when the content element sets its own `xml:base`. */
  contentBase?: string | undefined;
  title?: string | undefined;
  titleIsHtml: boolean;
  summaryHtml?: string | undefined;
  contentHtml?: string | undefined;
  contentText?: string | undefined;
  author?: string | undefined;
  published?: string | undefined;
  updated?: string | undefined;
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

interface FeedMeta {
  title?: string | undefined;
  link?: string | undefined;
  ttlMinutes?: number | undefined;
}

function finish(kind: SourceKind, meta: FeedMeta, entries: RawEntry[], context: NormalizeContext): ParsedFeed {
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const item = normalizeEntry(entry, context.fetchedAt);
    if (!item || seen.has(item.itemKey)) continue;
    seen.add(item.itemKey);
    items.push(item);
  }
  const title = meta.title === undefined ? '' : truncateText(htmlToText(meta.title), MAX_TITLE_LENGTH);
  return {
    kind,
    ...(title === '' ? {} : { title }),
    ...(meta.link === undefined ? {} : { link: meta.link }),
    ...(meta.ttlMinutes === undefined ? {} : { ttlMinutes: meta.ttlMinutes }),
    items,
  };
}

function ttlOf(value: unknown): number | undefined {
  const minutes = typeof value === 'number' ? value : Number.NaN;
  return Number.isInteger(minutes) && minutes > 0 && minutes <= 7 * 24 * 60 ? minutes : undefined;
}

function rssMeta(feed: RssFeed.Feed<string>, base: string): FeedMeta {
  return { title: feed.title, link: resolveHttpUrl(feed.link, base), ttlMinutes: ttlOf(feed.ttl) };
}

function rdfMeta(feed: RdfFeed.Feed<string>, base: string): FeedMeta {
  return { title: feed.title, link: resolveHttpUrl(feed.link, base) };
}

function atomMeta(feed: AtomFeed.Feed<string>, base: string): FeedMeta {
  return { title: atomText(feed.title), link: resolveHttpUrl(alternateLink(feed.links), base) };
}

function jsonMeta(feed: JsonFeed.Feed<string>, base: string): FeedMeta {
  return { title: feed.title, link: resolveHttpUrl(feed.home_page_url, base) };
}

function rssEntry(item: RssFeed.Item<string>, feedBase: string): RawEntry {
  const base = resolveBase(item.xml?.base, feedBase);
  const guid = item.guid?.value;
  // isPermaLink defaults to true, but many feeds put opaque ids there without saying so.
  const permalink = item.guid?.isPermaLink !== false && guid !== undefined && /^https?:\/\//i.test(guid.trim()) ? guid : undefined;
  const author = item.authors?.[0];
  return {
    guid,
    link: item.link ?? item.atom?.links?.find((link) => link.rel === undefined || link.rel === 'alternate')?.href ?? permalink,
    base,
    title: item.title ?? item.dc?.titles?.[0],
    titleIsHtml: true,
    summaryHtml: item.description,
    contentHtml: item.content?.encoded,
    author: author?.name ?? item.dc?.creators?.[0] ?? author?.email,
    published: item.pubDate ?? item.dc?.dates?.[0] ?? item.dcterms?.issued?.[0] ?? item.atom?.published ?? item.atom?.updated,
    updated: item.atom?.updated ?? item.dcterms?.modified?.[0],
  };
}

function rdfEntry(item: RdfFeed.Item<string>, feedBase: string): RawEntry {
  return {
    guid: item.rdf?.about,
    link: item.link,
    base: resolveBase(item.xml?.base, feedBase),
    title: item.title ?? item.dc?.titles?.[0],
    titleIsHtml: true,
    summaryHtml: item.description ?? item.dc?.descriptions?.[0],
    contentHtml: item.content?.encoded,
    author: item.dc?.creators?.[0],
    published: item.dc?.dates?.[0] ?? item.dcterms?.issued?.[0],
    updated: item.dcterms?.modified?.[0],
  };
}

function atomEntry(entry: AtomFeed.Entry<string>, feedBase: string, feedAuthor: string | undefined): RawEntry {
  const base = resolveBase(entry.xml?.base, feedBase);
  const content = entry.content;
  const contentIsText = content !== undefined && (content.type === undefined || content.type === 'text');
  const summaryIsText = entry.summary !== undefined && (entry.summary.type === undefined || entry.summary.type === 'text');
  return {
    guid: entry.id,
    link: alternateLink(entry.links),
    base,
    contentBase: resolveBase(content?.xml?.base, base),
    title: atomText(entry.title),
    titleIsHtml: entry.title?.type === 'html' || entry.title?.type === 'xhtml',
    summaryHtml: summaryIsText ? textToHtml(entry.summary?.value ?? '') : entry.summary?.value,
    contentHtml: content?.src === undefined && !contentIsText ? content?.value : undefined,
    contentText: content?.src === undefined && contentIsText ? content.value : undefined,
    author: entry.authors?.[0]?.name ?? feedAuthor,
    published: entry.published ?? entry.dc?.dates?.[0] ?? entry.updated,
    updated: entry.updated,
  };
}

function jsonEntry(item: JsonFeed.Item<string>, base: string, feedAuthor: string | undefined): RawEntry {
  return {
    guid: item.id,
    link: item.url ?? item.external_url,
    base,
    title: item.title,
    titleIsHtml: false,
    summaryHtml: item.summary === undefined ? undefined : textToHtml(item.summary),
    contentHtml: item.content_html,
    contentText: item.content_text,
    author: item.authors?.[0]?.name ?? feedAuthor,
    published: item.date_published ?? item.date_modified,
    updated: item.date_modified,
  };
}

function atomText(text: AtomFeed.Text | undefined): string | undefined {
  return text?.value;
}

/** The link a reader follows: rel="alternate" (or no rel), preferring an HTML one. */
function alternateLink(links: readonly { href?: string; rel?: string; type?: string }[] | undefined): string | undefined {
  const alternates = (links ?? []).filter((link) => (link.rel === undefined || link.rel === 'alternate') && typeof link.href === 'string');
  return (alternates.find((link) => link.type === undefined || link.type.includes('html')) ?? alternates[0])?.href;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function boundedKey(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  return trimmed.length > MAX_KEY_LENGTH ? `sha256:${sha256(trimmed)}` : trimmed;
}

/**
 * Cleans one entry, or returns undefined when it has neither title nor content (nothing to show).
 *
 * @example
 * normalizeEntry({ title: 'Hello', titleIsHtml: false, base: 'https://example.com/', link: '/a' }, new Date());
 */
export function normalizeEntry(raw: RawEntry, fetchedAt: Date): FeedItem | undefined {
  const entry = withoutControlCharacters(raw);
  const contentBase = entry.contentBase ?? entry.base;
  // Without a separate content element the description is the content (most RSS feeds work so).
  const contentHtml =
    sanitizeContent(entry.contentHtml, contentBase) ??
    (entry.contentText === undefined ? undefined : sanitizeContent(textToHtml(entry.contentText), contentBase)) ??
    sanitizeContent(entry.summaryHtml, entry.base);
  const summarySource = htmlToText(entry.summaryHtml);
  const summary = truncateText(summarySource !== '' ? summarySource : htmlToText(contentHtml), MAX_SUMMARY_LENGTH);
  const rawTitle = entry.title ?? '';
  const titleText = entry.titleIsHtml ? htmlToText(rawTitle) : rawTitle.replace(/\s+/g, ' ').trim();
  if (titleText === '' && summary === '' && contentHtml === undefined) return undefined;
  const title =
    titleText !== ''
      ? truncateText(titleText, MAX_TITLE_LENGTH)
      : summary !== ''
        ? truncateText(summary, DERIVED_TITLE_LENGTH)
        : 'Untitled';
  const url = resolveHttpUrl(entry.link, entry.base);
  const canonicalUrl = url === undefined ? undefined : canonicalizeUrl(url);
  const guid = entry.guid?.trim() === '' ? undefined : entry.guid?.trim();
  const authorText = entry.author === undefined ? '' : truncateText(htmlToText(entry.author), MAX_AUTHOR_LENGTH);
  const publishedAt = effectivePublishedAt(entry.published, fetchedAt);
  const updated = parseFeedDate(entry.updated);
  const itemKey = boundedKey(guid) ?? boundedKey(url) ?? `sha256:${sha256(`${title}\n${contentHtml ?? summary}`)}`;
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
    itemKey,
    contentHash: sha256(`${title}\u0000${summary}\u0000${contentHtml ?? ''}`),
  };
}

/** Postgres text cannot hold NUL, and no control character belongs in a headline: drop them all. */
function withoutControlCharacters(entry: RawEntry): RawEntry {
  const cleaned: RawEntry = { ...entry };
  for (const [name, value] of Object.entries(entry)) {
    if (typeof value === 'string') Object.assign(cleaned, { [name]: stripControls(value) });
  }
  return cleaned;
}

/** C0 controls except tab, line feed and carriage return, and DEL. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function stripControls(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '');
}
