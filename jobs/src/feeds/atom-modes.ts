import { decodeUtf8Leniently } from './charset.ts';

/**
 * Atom 0.3 text constructs carry a `mode`: `xml` (inline), `escaped` (entity-escaped markup) or
 * `base64`. The parser keeps `type` but drops `mode`; `escaped` needs nothing more (the XML parser
 * unescapes it), and base64 is decoded here, before parsing, into the escaped form it stands for.
 */

/** An element with attributes and text content; whether `mode` says base64 is checked apart, so the pattern stays linear. */
const elementWithText = /<([\w.:-]+)(\s[^<>]*)>([^<]*)<\/\1\s*>/g;
const base64Mode = /\smode\s*=\s*(["'])base64\1/;
const base64Text = /^[A-Za-z0-9+/=\s]*$/;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Replaces the content of every element marked `mode="base64"` with its decoded text (UTF-8,
 * leniently), escaped for XML, and drops the `mode` attribute. Text without such elements is
 * returned as it is, after a single substring search.
 *
 * @example
 * decodeBase64Elements('<title mode="base64">SGk=</title>'); // '<title>Hi</title>'
 */
export function decodeBase64Elements(text: string): string {
  if (!text.includes('base64') || !base64Mode.test(text)) return text;
  return text.replace(elementWithText, function decodeElement(whole, name: string, attributes: string, content: string) {
    if (!base64Mode.test(attributes) || !base64Text.test(content)) return whole;
    const decoded = decodeUtf8Leniently(Buffer.from(content, 'base64'));
    return `<${name}${attributes.replace(base64Mode, '')}>${escapeXml(decoded)}</${name}>`;
  });
}

export type TextKind = 'text' | 'html' | 'other';

/**
 * What an Atom `type` says about a text construct or content, for Atom 1.0 (`text`, `html`,
 * `xhtml`) and Atom 0.3 (MIME types such as `text/plain`, `text/html`, `application/xhtml+xml`).
 * Other media types (images, XML documents) are not text a reader can show.
 *
 * @example
 * atomTextKind('text/html'); // 'html'
 */
export function atomTextKind(type: string | undefined): TextKind {
  const lower = type?.trim().toLowerCase();
  if (lower === undefined || lower === '' || lower === 'text' || lower === 'text/plain') return 'text';
  if (lower === 'html' || lower === 'xhtml' || lower === 'text/html' || lower === 'application/xhtml+xml') return 'html';
  return lower.startsWith('text/') ? 'text' : 'other';
}
