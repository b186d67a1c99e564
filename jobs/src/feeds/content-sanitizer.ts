import { Parser } from 'htmlparser2';

/**
 * The allow-list that feed HTML is cut down to, and the filter that applies it in one streaming
 * pass of htmlparser2: allowed tags are written back with their allowed attributes, other tags are
 * unwrapped to their text, and the text of non-text elements (scripts, styles, embeds, widgets) is
 * dropped. Its output is sanitize-html 2.17's with the same rules, byte for byte
 * (`content-sanitizer.test.ts` compares the two).
 */

/** Elements whose text is never content (code, styling, embedded documents, form widgets). */
export const nonTextTags: readonly string[] = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'button',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'title',
  'head',
];

/** Formatting a news card can show; everything else is unwrapped to its text. */
export const contentTags: readonly string[] = [
  'p',
  'br',
  'a',
  'strong',
  'em',
  'b',
  'i',
  'ul',
  'ol',
  'li',
  'blockquote',
  'code',
  'pre',
  'h2',
  'h3',
  'h4',
  'img',
  'figure',
  'figcaption',
];

/** Headings outside the card's range, written as the nearest one inside it. */
export const headingRenames: ReadonlyMap<string, string> = new Map([
  ['h1', 'h2'],
  ['h5', 'h4'],
  ['h6', 'h4'],
]);

/** Attributes kept on links and images; every other tag keeps none. */
export const linkAttributes: readonly string[] = ['href', 'title', 'rel'];
export const imageAttributes: readonly string[] = ['src', 'alt', 'title', 'width', 'height'];
/** URL schemes a link may use, and the narrower set for images. */
export const linkSchemes: readonly string[] = ['http', 'https', 'mailto'];
export const imageSchemes: readonly string[] = ['http', 'https'];

export const LINK_REL = 'noopener noreferrer nofollow';
/** Elements nested deeper than this are unwrapped to their text. */
export const NESTING_LIMIT = 64;

/** Hosts that serve only tracking pixels and beacons. */
const trackerHosts = new Set([
  'pixel.wp.com',
  'stats.wordpress.com',
  'pixel.quantserve.com',
  'sb.scorecardresearch.com',
  'www.google-analytics.com',
  'ssl.google-analytics.com',
  'ad.doubleclick.net',
  'googleads.g.doubleclick.net',
  'pi.feedsportal.com',
  'feeds.feedblitz.com',
  'www.facebook.com',
]);

const feedBurnerRedirect = /^\/~(?:r|ff)\//;

function tinySize(value: string | undefined): boolean {
  if (value === undefined) return false;
  const size = Number.parseFloat(value);
  return Number.isFinite(size) && size <= 2;
}

/**
 * True for images that exist to track readers: 1x1 (or 2x2) pixels, known beacon hosts, FeedBurner's
 * `/~r/` and `/~ff/` redirectors, and paths like `/pixel.gif` or `/track/open`.
 */
export function isTrackingImage(src: string | undefined, width?: string, height?: string): boolean {
  if (tinySize(width) || tinySize(height)) return true;
  if (src === undefined) return false;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return false;
  }
  return isTrackerUrl(url);
}

function isTrackerUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  if (trackerHosts.has(host)) return true;
  if (host === 'feeds.feedburner.com' && feedBurnerRedirect.test(url.pathname)) return true;
  return url.pathname
    .toLowerCase()
    .split('/')
    .some(
      (segment) =>
        segment === 'pixel' ||
        segment === 'track' ||
        segment === 'tracking' ||
        segment.startsWith('pixel.') ||
        segment.startsWith('track.'),
    );
}

const mailto = /^mailto:/i;

/** A link or image URL resolved against the base; `mailto:` links are kept as written. */
export function absoluteUrl(value: string | undefined, baseUrl: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (mailto.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed, baseUrl).href;
  } catch {
    return undefined;
  }
}

/** Control characters and spaces, which browsers skip inside a URL scheme. */
const ignoredInScheme = /[\x00-\x20]+/g;
const schemePrefix = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/;
const protocolRelative = /^[/\\]{2}/;

/**
 * Whether a link or image URL is refused: a scheme outside the tag's list (read the way browsers
 * do, ignoring control characters, spaces and `<!-- -->` comments), or a protocol-relative URL.
 */
function refusedScheme(schemes: readonly string[], href: string): boolean {
  let value = href.replace(ignoredInScheme, '');
  for (;;) {
    const open = value.indexOf('<!--');
    if (open === -1) break;
    const close = value.indexOf('-->', open + 4);
    if (close === -1) break;
    value = value.slice(0, open) + value.slice(close + 3);
  }
  const scheme = schemePrefix.exec(value)?.[1];
  if (scheme === undefined) return protocolRelative.test(value);
  return !schemes.includes(scheme.toLowerCase());
}

const needsTextEscape = /[&<>]/;
const needsAttributeEscape = /[&<>"]/;

function escapeText(text: string): string {
  if (!needsTextEscape.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute as written back: empty values are dropped, except `alt=""`. */
function attribute(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (value === '') return name === 'alt' ? ' alt=""' : '';
  const escaped = needsAttributeEscape.test(value) ? escapeText(value).replace(/"/g, '&quot;') : value;
  return ` ${name}="${escaped}"`;
}

type Attributes = Record<string, string>;

/** A link's start tag, or undefined when its target is missing or refused (the link is unwrapped). */
function linkTag(attribs: Attributes, baseUrl: string | undefined): string | undefined {
  const href = absoluteUrl(attribs.href, baseUrl);
  if (href === undefined || refusedScheme(linkSchemes, href)) return undefined;
  let tag = '<a';
  let hasRel = false;
  for (const name of Object.keys(attribs)) {
    if (name === 'href') tag += attribute(name, href);
    else if (name === 'title') tag += attribute(name, attribs[name]);
    else if (name === 'rel') {
      tag += attribute(name, LINK_REL);
      hasRel = true;
    }
  }
  return `${tag}${hasRel ? '' : attribute('rel', LINK_REL)}>`;
}

/**
 * An image's tag, or undefined when its source is missing, refused or a tracking pixel (the image is
 * dropped). The source is parsed once, for its absolute form and for the tracking checks.
 */
function imageTag(attribs: Attributes, baseUrl: string | undefined): string | undefined {
  const trimmed = attribs.src?.trim();
  // A `mailto:` source is kept as written and then refused: images take http(s) only.
  if (trimmed === undefined || mailto.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, baseUrl);
  } catch {
    return undefined;
  }
  const src = url.href;
  if (refusedScheme(imageSchemes, src)) return undefined;
  const width = attribs.width === '' ? undefined : attribs.width;
  const height = attribs.height === '' ? undefined : attribs.height;
  if (tinySize(width) || tinySize(height) || isTrackerUrl(url)) return undefined;
  let tag = '<img';
  for (const name of Object.keys(attribs)) {
    if (name === 'src') tag += attribute(name, src);
    else if (imageAttributes.includes(name)) tag += attribute(name, attribs[name]);
  }
  return `${tag} />`;
}

const allowedTags = new Set(contentTags);
const nonTextTagSet = new Set(nonTextTags);
/** Allowed elements written as `<name />`, with no end tag. */
const voidTags = new Set(['img', 'br']);
const visibleCharacter = /[^\s\u00a0]/;

/** What one pass keeps between htmlparser2's callbacks. */
interface PassState {
  baseUrl: string | undefined;
  out: string;
  /** Elements open in the parser (by their names in the source), with whether their tags were dropped. */
  open: string[];
  dropped: boolean[];
  /** Per nesting depth: whether the element there is unwrapped, and the name it is written as. */
  unwrapped: boolean[];
  names: string[];
  depth: number;
  /** Elements open inside a non-text element, counting it: 0 when text is kept. */
  hiddenDepth: number;
  visibleText: boolean;
  image: boolean;
}

const state: PassState = {
  baseUrl: undefined,
  out: '',
  open: [],
  dropped: [],
  unwrapped: [],
  names: [],
  depth: 0,
  hiddenDepth: 0,
  visibleText: false,
  image: false,
};

function startTag(name: string, attribs: Attributes): string | undefined {
  if (name === 'a') return linkTag(attribs, state.baseUrl);
  if (name === 'img') return imageTag(attribs, state.baseUrl);
  return voidTags.has(name) ? `<${name} />` : `<${name}>`;
}

function onOpenTag(source: string, attribs: Attributes): void {
  if (state.hiddenDepth > 0) {
    state.hiddenDepth += 1;
    return;
  }
  const name = headingRenames.get(source) ?? source;
  const unwrap = !allowedTags.has(name) || state.depth >= NESTING_LIMIT;
  if (unwrap && nonTextTagSet.has(name)) state.hiddenDepth = 1;
  state.unwrapped[state.depth] = unwrap;
  state.names[state.depth] = name;
  state.depth += 1;
  state.open.push(source);
  const tag = unwrap ? '' : startTag(name, attribs);
  state.dropped.push(tag === undefined);
  if (tag === undefined || tag === '') return;
  if (name === 'img') state.image = true;
  state.out += tag;
}

function onCloseTag(source: string): void {
  if (state.hiddenDepth > 0) {
    state.hiddenDepth -= 1;
    if (state.hiddenDepth > 0) return;
  }
  const top = state.open.pop();
  const dropped = state.dropped.pop() ?? false;
  if (top === undefined) return;
  if (top !== source) {
    state.open.push(top);
    state.dropped.push(dropped);
    return;
  }
  state.depth -= 1;
  const name = state.names[state.depth] ?? source;
  if (state.unwrapped[state.depth] === true || dropped || voidTags.has(name)) return;
  state.out += `</${name}>`;
}

function onText(text: string): void {
  if (state.hiddenDepth > 0) return;
  state.out += escapeText(text);
  if (!state.visibleText && visibleCharacter.test(text)) state.visibleText = true;
}

/** The callbacks of every pass; a pass gets a fresh parser, since `reset()` leaves tokenizer state behind. */
const handlers = { onopentag: onOpenTag, onclosetag: onCloseTag, ontext: onText };

export interface SanitizedFragment {
  /** The sanitized HTML, trimmed. */
  html: string;
  /** Whether any text other than whitespace and non-breaking spaces is left. */
  visibleText: boolean;
  /** Whether an image is left. */
  image: boolean;
}

/**
 * Applies the allow-list to an HTML fragment: links resolved against `baseUrl` and marked
 * `rel="noopener noreferrer nofollow"`, only http(s)/mailto links and http(s) images, tracking
 * pixels dropped, headings mapped into h2–h4, everything else unwrapped or (for non-text elements)
 * dropped with its content.
 *
 * @example
 * sanitizeFragment('<p onclick="x()">Hi <a href="/a">there</a></p>', 'https://example.com/').html;
 * // '<p>Hi <a href="https://example.com/a" rel="noopener noreferrer nofollow">there</a></p>'
 */
export function sanitizeFragment(html: string, baseUrl: string | undefined): SanitizedFragment {
  state.baseUrl = baseUrl;
  state.out = '';
  state.depth = 0;
  state.hiddenDepth = 0;
  state.visibleText = false;
  state.image = false;
  state.open.length = 0;
  state.dropped.length = 0;
  try {
    new Parser(handlers, { decodeEntities: true }).end(html);
    return { html: state.out.trim(), visibleText: state.visibleText, image: state.image };
  } finally {
    state.out = '';
  }
}
