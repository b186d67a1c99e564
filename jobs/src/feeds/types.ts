import type { SourceKind } from '@pressbox/db';

/** One feed entry, normalised the same way whatever format it came in. */
export interface FeedItem {
  /** The entry's own id (RSS guid, Atom id, JSON Feed id, RDF about). */
  guid?: string;
  /** Absolute http(s) link to the story. */
  url?: string;
  /** `url` without fragment and tracking parameters: recognises one story in two feeds. */
  canonicalUrl?: string;
  /** Plain text, at most 500 characters. */
  title: string;
  author?: string;
  /** Plain text, at most about 600 characters, cut on a word boundary ('' when the entry has none). */
  summary: string;
  /** Sanitized HTML, safe to render. */
  contentHtml?: string;
  /** UTC; the fetch time when the entry has no usable date or claims a future one. */
  publishedAt: Date;
  updatedAt?: Date;
  /**
   * Unique per source: guid, else url, else `enclosure:<url>`, else `entry:` and a hash of the
   * entry's own title and date (not its text, so edits keep it; look-alikes get `#1`, `#2`… counted
   * from the end of the feed). See `entryKeys`.
   */
  itemKey: string;
  /**
   * Other keys the same entry may already be stored under (its key before a title or a date edit,
   * and the older title-and-content hash); empty for entries with a guid, link or enclosure. Each
   * alias belongs to this entry alone within the document.
   */
  aliasKeys: string[];
  /** Changes whenever title, summary or content change: detects edits. */
  contentHash: string;
}

/** A parsed document: the feed's own metadata and its entries. */
export interface ParsedFeed {
  kind: SourceKind;
  title?: string;
  link?: string;
  /** RSS `<ttl>`: minutes the publisher asks readers to cache the feed. */
  ttlMinutes?: number;
  items: FeedItem[];
}
