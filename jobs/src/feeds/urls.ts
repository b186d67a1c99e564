/** Longest URL we keep: longer ones are junk or attacks, and they would not fit a btree index. */
export const MAX_URL_LENGTH = 2048;

/**
 * Resolves `value` against `base` and returns it only if the result is an http(s) URL without
 * credentials: feeds carry `javascript:` and `data:` links too, and those must never be stored as
 * an article's URL.
 *
 * @example
 * resolveHttpUrl('../a?b=1', 'https://example.com/x/y/'); // 'https://example.com/x/a?b=1'
 * resolveHttpUrl('javascript:alert(1)', 'https://example.com/'); // undefined
 */
export function resolveHttpUrl(value: string | null | undefined, base?: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href.length > MAX_URL_LENGTH ? undefined : url.href;
}

/** Resolves a base URL chain (`xml:base` inside `xml:base` inside the document URL). */
export function resolveBase(value: string | null | undefined, base: string): string {
  if (typeof value !== 'string' || value.trim() === '') return base;
  try {
    return new URL(value.trim(), base).href;
  } catch {
    return base;
  }
}

const trackingParams = new Set(['fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_hsenc', '_hsmi']);

/**
 * The form of a URL used to recognise the same story from two feeds: lower-case host (the URL
 * parser does that), no fragment, no default port, and no tracking parameters (`utm_*`, `fbclid`,
 * `gclid`, `mc_cid`, `mc_eid` and a few kin). Other parameters are kept in order: they often name
 * the article.
 *
 * @example
 * canonicalizeUrl('https://News.Example.com:443/a?id=7&utm_source=rss#top'); // 'https://news.example.com/a?id=7'
 */
export function canonicalizeUrl(value: string): string {
  const url = new URL(value);
  url.hash = '';
  const params = [...url.searchParams];
  const kept = params.filter(([name]) => {
    const lower = name.toLowerCase();
    return !lower.startsWith('utm_') && !trackingParams.has(lower);
  });
  if (kept.length === 0) url.search = '';
  else if (kept.length !== params.length) url.search = new URLSearchParams(kept).toString();
  return url.href;
}
