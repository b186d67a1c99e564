import type { AtomFeed, ItunesNs, JsonFeed, MediaNs, RdfFeed, RssFeed } from 'feedsmith';
import { atomTextKind } from './atom-modes.ts';
import { textToHtml } from './sanitize.ts';
import { resolveBase, resolveHttpUrl } from './urls.ts';

/**
 * Format adapters: each turns one entry of the raw structure the parser returns into a
 * format-neutral `RawEntry`, with the fallbacks readers expect (Dublin Core, iTunes and Media RSS
 * fields where the core ones are missing).
 */

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
  /** Publication dates, in the order they are tried: the first one that can be read wins. */
  dates?: readonly string[] | undefined;
  updated?: string | undefined;
  /** The first enclosure (or media content) URL: a podcast episode's identity when it has no guid or link. */
  enclosureUrl?: string | undefined;
}

/** The feed's own metadata, before cleaning. */
export interface FeedMeta {
  title?: string | undefined;
  titleIsHtml: boolean;
  link?: string | undefined;
  ttlMinutes?: number | undefined;
}

function present(...values: (string | undefined)[]): string[] {
  return values.filter((value): value is string => value !== undefined && value.trim() !== '');
}

function ttlOf(value: unknown): number | undefined {
  const minutes = typeof value === 'number' ? value : Number.NaN;
  return Number.isInteger(minutes) && minutes > 0 && minutes <= 7 * 24 * 60 ? minutes : undefined;
}

type MediaText = { value?: string; type?: string } | undefined;

/** A Media RSS title or description, on the item, its first group or its first content. */
function mediaText(media: MediaNs.ItemOrFeed | undefined, field: 'title' | 'description'): MediaText {
  return media?.[field] ?? media?.groups?.[0]?.[field] ?? media?.contents?.[0]?.[field] ?? media?.groups?.[0]?.contents?.[0]?.[field];
}

/** Media RSS text as HTML: `type="html"` is markup, anything else plain text. */
function mediaHtml(text: MediaText): string | undefined {
  if (text?.value === undefined) return undefined;
  return text.type === 'html' ? text.value : textToHtml(text.value);
}

/** `itunes:summary`, plain text: Apple no longer reads it, but podcast feeds still carry it where nothing else describes an episode. */
function podcastSummary(itunes: ItunesNs.Item | undefined): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the fallback readers expect for episodes without a description
  const summary = itunes?.summary;
  return summary === undefined ? undefined : textToHtml(summary);
}

function mediaUrl(media: MediaNs.ItemOrFeed | undefined): string | undefined {
  return media?.contents?.[0]?.url ?? media?.groups?.[0]?.contents?.[0]?.url;
}

export function rssMeta(feed: RssFeed.Feed<string>, base: string): FeedMeta {
  return {
    title: feed.title ?? feed.dc?.titles?.[0] ?? feed.itunes?.title,
    titleIsHtml: true,
    link: resolveHttpUrl(feed.link, base),
    ttlMinutes: ttlOf(feed.ttl),
  };
}

export function rdfMeta(feed: RdfFeed.Feed<string>, base: string): FeedMeta {
  return { title: feed.title ?? feed.dc?.titles?.[0], titleIsHtml: true, link: resolveHttpUrl(feed.link, base) };
}

export function atomMeta(feed: AtomFeed.Feed<string>, base: string): FeedMeta {
  const title = feed.title ?? (feed.dc?.titles?.[0] === undefined ? undefined : { value: feed.dc.titles[0] });
  return { title: title?.value, titleIsHtml: atomTextKind(title?.type) === 'html', link: resolveHttpUrl(alternateLink(feed.links), base) };
}

export function jsonMeta(feed: JsonFeed.Feed<string>, base: string): FeedMeta {
  return { title: feed.title, titleIsHtml: false, link: resolveHttpUrl(feed.home_page_url, base) };
}

export function rssEntry(item: RssFeed.Item<string>, feedBase: string): RawEntry {
  const base = resolveBase(item.xml?.base, feedBase);
  const guid = item.guid?.value;
  // isPermaLink defaults to true, but many feeds put opaque ids there without saying so.
  const permalink = item.guid?.isPermaLink !== false && guid !== undefined && /^https?:\/\//i.test(guid.trim()) ? guid : undefined;
  const author = item.authors?.[0];
  return {
    guid,
    link: item.link ?? item.atom?.links?.find((link) => link.rel === undefined || link.rel === 'alternate')?.href ?? permalink,
    base,
    title: item.title ?? item.dc?.titles?.[0] ?? mediaText(item.media, 'title')?.value ?? item.itunes?.title,
    titleIsHtml: true,
    summaryHtml:
      item.description ?? item.dc?.descriptions?.[0] ?? podcastSummary(item.itunes) ?? mediaHtml(mediaText(item.media, 'description')),
    contentHtml: item.content?.encoded,
    author: author?.name ?? item.dc?.creators?.[0] ?? item.itunes?.author ?? author?.email,
    dates: present(
      item.pubDate,
      ...(item.dc?.dates ?? []),
      ...(item.dcterms?.issued ?? []),
      ...(item.dcterms?.created ?? []),
      ...(item.dcterms?.dates ?? []),
      item.atom?.published,
    ),
    updated: item.atom?.updated ?? item.dcterms?.modified?.[0],
    enclosureUrl: item.enclosures?.[0]?.url ?? mediaUrl(item.media),
  };
}

export function rdfEntry(item: RdfFeed.Item<string>, feedBase: string): RawEntry {
  return {
    guid: item.rdf?.about,
    link: item.link,
    base: resolveBase(item.xml?.base, feedBase),
    title: item.title ?? item.dc?.titles?.[0] ?? mediaText(item.media, 'title')?.value,
    titleIsHtml: true,
    summaryHtml: item.description ?? item.dc?.descriptions?.[0] ?? mediaHtml(mediaText(item.media, 'description')),
    contentHtml: item.content?.encoded,
    author: item.dc?.creators?.[0],
    dates: present(
      ...(item.dc?.dates ?? []),
      ...(item.dcterms?.issued ?? []),
      ...(item.dcterms?.created ?? []),
      ...(item.dcterms?.dates ?? []),
    ),
    updated: item.dcterms?.modified?.[0],
    enclosureUrl: mediaUrl(item.media),
  };
}

/** An Atom text construct as HTML, by its type; undefined for media types a reader cannot show. */
function atomHtml(text: AtomFeed.Text | AtomFeed.Content | undefined): string | undefined {
  if (text?.value === undefined) return undefined;
  const kind = atomTextKind(text.type);
  return kind === 'html' ? text.value : kind === 'text' ? textToHtml(text.value) : undefined;
}

export function atomEntry(entry: AtomFeed.Entry<string>, feedBase: string, feedAuthor: string | undefined): RawEntry {
  const base = resolveBase(entry.xml?.base, feedBase);
  const content = entry.content?.src === undefined ? entry.content : undefined;
  const contentKind = atomTextKind(content?.type);
  const mediaTitle = mediaText(entry.media, 'title');
  const title =
    entry.title ??
    (mediaTitle?.value === undefined ? undefined : { value: mediaTitle.value, type: mediaTitle.type === 'html' ? 'html' : 'text' });
  return {
    guid: entry.id,
    link: alternateLink(entry.links),
    base,
    contentBase: resolveBase(content?.xml?.base, base),
    title: title?.value,
    titleIsHtml: atomTextKind(title?.type) === 'html',
    summaryHtml: atomHtml(entry.summary) ?? mediaHtml(mediaText(entry.media, 'description')),
    contentHtml: contentKind === 'html' ? content?.value : undefined,
    contentText: contentKind === 'text' ? content?.value : undefined,
    author: entry.authors?.[0]?.name ?? entry.dc?.creators?.[0] ?? entry.itunes?.author ?? feedAuthor,
    dates: present(
      entry.published,
      ...(entry.dc?.dates ?? []),
      ...(entry.dcterms?.issued ?? []),
      ...(entry.dcterms?.created ?? []),
      ...(entry.dcterms?.dates ?? []),
    ),
    updated: entry.updated,
    enclosureUrl: entry.links?.find((link) => link.rel === 'enclosure')?.href ?? mediaUrl(entry.media),
  };
}

export function jsonEntry(item: JsonFeed.Item<string>, base: string, feedAuthor: string | undefined): RawEntry {
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
    dates: present(item.date_published),
    updated: item.date_modified,
    enclosureUrl: item.attachments?.[0]?.url,
  };
}

/** The link a reader follows: rel="alternate" (or no rel), preferring an HTML one. */
export function alternateLink(links: readonly { href?: string; rel?: string; type?: string }[] | undefined): string | undefined {
  const alternates = (links ?? []).filter((link) => (link.rel === undefined || link.rel === 'alternate') && typeof link.href === 'string');
  return (alternates.find((link) => link.type === undefined || link.type.includes('html')) ?? alternates[0])?.href;
}
