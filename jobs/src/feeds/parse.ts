import { DetectError, parseFeed as parseDocument, type AnyFeed } from 'feedsmith';
import { decodeBase64Elements } from './atom-modes.ts';
import { decodeFeedBytes } from './charset.ts';
import { normalizeFeed } from './normalize.ts';
import type { ParsedFeed } from './types.ts';
import { resolveHttpUrl } from './urls.ts';

/** Largest document parsed (the fetch cap): anything bigger is refused before parsing. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Entries read from one document; feeds list newest first, so the rest is old news. */
export const MAX_FEED_ITEMS = 1000;

export type FeedParseFailure = 'empty' | 'too-large' | 'binary' | 'entities' | 'not-a-feed' | 'malformed' | 'too-slow';

/** A document that is not a feed we will read; `message` is short and safe to store. */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
  constructor(
    readonly reason: FeedParseFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ParseFeedOptions {
  /** Where the document came from (after redirects): the base for relative links. */
  baseUrl: string;
  /** When it was fetched: the date of undated entries and the ceiling for future ones. */
  fetchedAt: Date;
  /** The Content-Type header, for its charset. */
  contentType?: string | undefined;
  /** The Content-Location header: where the document really lives, so the base of its relative links. */
  contentLocation?: string | undefined;
  maxBytes?: number;
  maxItems?: number;
}

/**
 * Detects the format (RSS 0.9x/2.0, RDF, Atom, JSON Feed), refuses what must not be parsed
 * (binary junk, documents declaring entities in a DOCTYPE, HTML pages, oversized input) and
 * returns normalised items. Throws FeedParseError; nothing else is touched.
 *
 * @example
 * const feed = parseFeed(result.body, { baseUrl: result.finalUrl, fetchedAt: new Date(), contentType: result.contentType });
 * feed.kind; // 'RSS'
 */
export function parseFeed(body: Buffer | string, options: ParseFeedOptions): ParsedFeed {
  const maxBytes = options.maxBytes ?? MAX_DOCUMENT_BYTES;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > maxBytes) throw new FeedParseError('too-large', `the document is larger than ${String(maxBytes)} bytes`);
  const text = (typeof body === 'string' ? body : decode(body, options.contentType)).replace(/^\uFEFF/, '').trimStart();
  if (text.trim() === '') throw new FeedParseError('empty', 'the document is empty');
  if (looksBinary(text)) throw new FeedParseError('binary', 'the document is binary data, not a feed');
  const first = text[0];
  if (first === '<') {
    if (declaresEntities(text)) throw new FeedParseError('entities', 'the document declares entities in its DOCTYPE, which is refused');
    const prolog = scanProlog(text);
    if (prolog.doctypeName === 'html' || prolog.rootName === 'html')
      throw new FeedParseError('not-a-feed', 'the document is an HTML page, not a feed');
  } else if (first !== '{') {
    throw new FeedParseError('not-a-feed', 'the document is neither XML nor JSON');
  }
  const source = first === '<' ? decodeBase64Elements(text) : text;
  const document = readDocument(source, options.maxItems ?? MAX_FEED_ITEMS);
  return normalizeFeed(document, {
    baseUrl: resolveHttpUrl(options.contentLocation, options.baseUrl) ?? options.baseUrl,
    channelBase: document.format === 'rss' ? channelBaseOf(source) : undefined,
    fetchedAt: options.fetchedAt,
    ...(first === '<' ? { documentText: source } : {}),
  });
}

function readDocument(text: string, maxItems: number): AnyFeed {
  try {
    return parseDocument(text, { maxItems });
  } catch (error) {
    if (error instanceof DetectError) {
      throw new FeedParseError('not-a-feed', text.startsWith('{') ? 'the JSON is not a JSON Feed' : 'the XML is not RSS, RDF or Atom', {
        cause: error,
      });
    }
    throw new FeedParseError('malformed', 'the feed is malformed', { cause: error });
  }
}

/** Byte-level signatures of formats that are certainly not feeds. */
const binarySignatures: readonly number[][] = [
  [0x1f, 0x8b], // gzip that nobody decompressed
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x25, 0x50, 0x44, 0x46], // PDF
  [0x50, 0x4b, 0x03, 0x04], // zip
  [0x47, 0x49, 0x46, 0x38], // GIF
];

function decode(body: Buffer, contentType: string | undefined): string {
  if (binarySignatures.some((signature) => signature.every((byte, index) => body[index] === byte))) {
    throw new FeedParseError('binary', 'the document is binary data, not a feed');
  }
  return decodeFeedBytes(body, contentType);
}

/** Control characters (other than tab and newlines) or undecodable bytes in the first 4 KB. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let suspicious = 0;
  for (const character of sample) {
    const code = character.codePointAt(0) ?? 0;
    if (code === 0) return true;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffd) suspicious += 1;
  }
  return suspicious > 8 && suspicious / sample.length > 0.01;
}

interface Prolog {
  /** Name given by `<!DOCTYPE name ...>`, lower-cased. */
  doctypeName?: string;
  /** True when the DOCTYPE has an internal subset (`[...]`). */
  internalSubset: boolean;
  /** Name of the first element, lower-cased. */
  rootName?: string;
  /** Offset of the internal subset's `[`. */
  subsetStart: number;
}

/** Walks the XML prolog (declaration, comments, processing instructions, DOCTYPE) to the root. */
function scanProlog(text: string): Prolog {
  const prolog: Prolog = { internalSubset: false, subsetStart: -1 };
  let index = 0;
  while (index < text.length) {
    while (index < text.length && /\s/.test(text.charAt(index))) index += 1;
    if (text.startsWith('<?', index) || text.startsWith('<!--', index)) {
      const terminator = text.startsWith('<?', index) ? '?>' : '-->';
      const end = text.indexOf(terminator, index + 2);
      if (end < 0) return prolog;
      index = end + terminator.length;
    } else if (text.slice(index, index + 9).toUpperCase() === '<!DOCTYPE') {
      prolog.doctypeName = /^<!DOCTYPE\s+([^\s[>]+)/i.exec(text.slice(index, index + 200))?.[1]?.toLowerCase();
      const close = text.indexOf('>', index);
      const open = text.indexOf('[', index);
      if (open >= 0 && (close < 0 || open < close)) {
        prolog.internalSubset = true;
        prolog.subsetStart = open;
        const subsetEnd = text.indexOf(']', open);
        const end = subsetEnd < 0 ? -1 : text.indexOf('>', subsetEnd);
        if (end < 0) return prolog;
        index = end + 1;
      } else {
        if (close < 0) return prolog;
        index = close + 1;
      }
    } else {
      const name = /^<([A-Za-z_][\w:.-]*)/.exec(text.slice(index, index + 100))?.[1];
      if (name !== undefined) prolog.rootName = name.toLowerCase();
      return prolog;
    }
  }
  return prolog;
}

/**
 * True when the prolog holds a DOCTYPE whose internal subset declares entities. The parser leaves
 * entities unexpanded, so such documents would store `&lol9;` (billion laughs) or point at local
 * files (XXE): refusing them outright is simpler and safer than half-supporting them. A DOCTYPE
 * without an internal subset (RSS 0.91's public DTD) is fine. The search runs to the end of the
 * document, not to the first `]`, so a `]` hidden in a comment or entity value cannot end it early.
 */
export function declaresEntities(text: string): boolean {
  const prolog = scanProlog(text);
  return prolog.internalSubset && /<!ENTITY/i.test(text.slice(prolog.subsetStart));
}

/** The `xml:base` of the RSS `<channel>` start tag, which the parser drops. */
function channelBaseOf(text: string): string | undefined {
  const start = text.search(/<channel[\s>]/);
  if (start < 0) return undefined;
  const end = text.indexOf('>', start);
  const tag = text.slice(start, end < 0 ? start + 2000 : end);
  const match = /\sxml:base\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  return match?.[1] ?? match?.[2];
}
