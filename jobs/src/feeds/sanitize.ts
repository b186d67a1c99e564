import { Parser } from 'htmlparser2';
import { nonTextTags, sanitizeFragment } from './content-sanitizer.ts';

export { isTrackingImage } from './content-sanitizer.ts';

/**
 * Sanitizes feed HTML for display: an allow-list of formatting tags, no scripts, styles, iframes,
 * forms or event handlers, links only to http(s)/mailto (resolved against `baseUrl`) and marked
 * `rel="noopener noreferrer nofollow"`, images only from http(s) and never tracking pixels.
 * Returns undefined when nothing worth showing is left.
 *
 * @example
 * sanitizeContent('<p onclick="x()">Hi <a href="/a">there</a><script>evil()</script></p>', 'https://example.com/');
 * // '<p>Hi <a href="https://example.com/a" rel="noopener noreferrer nofollow">there</a></p>'
 */
export function sanitizeContent(html: string | null | undefined, baseUrl?: string): string | undefined {
  if (typeof html !== 'string' || html.trim() === '') return undefined;
  const clean = sanitizeFragment(closeDanglingEmbeds(html), baseUrl);
  if (clean.html === '') return undefined;
  return clean.visibleText || clean.image ? clean.html : undefined;
}

const embedStart = /<(?:iframe|object)[\s>/]/i;

/**
 * An `<iframe>` or `<object>` the feed never closed would swallow the rest of the content (the
 * sanitizer drops what is inside them): such embeds are closed right after their start tag, so
 * what follows them stays. Content without either tag is returned as it is.
 */
function closeDanglingEmbeds(html: string): string {
  if (!embedStart.test(html)) return html;
  const insertions: { at: number; tag: string }[] = [];
  const starts: { name: string; end: number }[] = [];
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        if (embedTags.has(name)) starts.push({ name, end: parser.endIndex + 1 });
      },
      onclosetag(name, isImplied) {
        if (!embedTags.has(name)) return;
        const start = starts.pop();
        if (isImplied && start) insertions.push({ at: start.end, tag: `</${start.name}>` });
      },
    },
    { lowerCaseTags: true },
  );
  parser.end(html);
  if (insertions.length === 0) return html;
  let result = html;
  for (const { at, tag } of insertions.sort((a, b) => b.at - a.at)) result = `${result.slice(0, at)}${tag}${result.slice(at)}`;
  return result;
}

/** Elements whose boundaries separate words in the text of a fragment. */
const blockTags = new Set([
  'p',
  'br',
  'div',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'tr',
  'td',
  'th',
  'dt',
  'dd',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'figcaption',
  'hr',
  'table',
]);
const nonTextTagSet = new Set(nonTextTags);

/** Whitespace other than a lone space: the runs that collapsing changes. */
const collapsible = /[^\S ]| {2}/;

function collapseWhitespace(text: string): string {
  return collapsible.test(text) ? text.replace(/[\s\u00a0]+/g, ' ').trim() : text.trim();
}

/** Embedded documents: their inner text is fallback for browsers without them, unless left open. */
const embedTags = new Set(['iframe', 'object']);

/**
 * What a text pass keeps between the parser's callbacks: text goes to the innermost open embed's
 * buffer; a closed embed's buffer is dropped, an implied close hands it to the parent.
 */
const textPass: { buffers: string[][]; hidden: number } = { buffers: [], hidden: 0 };

const textHandlers = {
  onopentag(name: string): void {
    if (embedTags.has(name)) textPass.buffers.push([]);
    else if (nonTextTagSet.has(name)) textPass.hidden += 1;
    else if (blockTags.has(name)) textPass.buffers.at(-1)?.push(' ');
  },
  onclosetag(name: string, isImplied: boolean): void {
    const { buffers } = textPass;
    if (embedTags.has(name) && buffers.length > 1) {
      const inner = buffers.pop() ?? [];
      if (isImplied) buffers.at(-1)?.push(' ', ...inner);
    } else if (nonTextTagSet.has(name)) textPass.hidden = Math.max(0, textPass.hidden - 1);
    else if (blockTags.has(name)) buffers.at(-1)?.push(' ');
  },
  ontext(text: string): void {
    if (textPass.hidden === 0) textPass.buffers.at(-1)?.push(text);
  },
};

/**
 * Plain text of an HTML fragment: tags stripped (block boundaries become spaces), every HTML
 * entity decoded, script/style text dropped, whitespace collapsed. The fallback text inside a
 * closed `<iframe>` or `<object>` is dropped, but one the feed never closed keeps everything
 * after it (publishers forget the end tag; the story goes on after the embed). One streaming pass
 * of the HTML tokenizer; text with neither `<` nor `&` is only collapsed.
 *
 * @example
 * htmlToText('<p>Fish &amp; chips</p><p>&eacute;t&eacute;</p>'); // 'Fish & chips été'
 * htmlToText('Goals: <iframe src="https://v.example/1">and the rest'); // 'Goals: and the rest'
 */
export function htmlToText(html: string | null | undefined): string {
  if (typeof html !== 'string' || html === '') return '';
  if (!html.includes('<') && !html.includes('&')) return collapseWhitespace(html);
  textPass.buffers = [[]];
  textPass.hidden = 0;
  new Parser(textHandlers, { decodeEntities: true, lowerCaseTags: true }).end(html);
  const text = collapseWhitespace((textPass.buffers[0] ?? []).join(''));
  textPass.buffers = [];
  return text;
}

/**
 * Cuts text to at most `max` characters on a word boundary, adding an ellipsis when it cut.
 *
 * @example
 * truncateText('one two three', 9); // 'one two…'
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Plain text as safe HTML paragraphs (JSON Feed `content_text`, Atom `type="text"`). */
export function textToHtml(text: string): string | undefined {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const paragraphs = escaped
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  if (paragraphs.length === 0) return undefined;
  return paragraphs.map((paragraph) => `<p>${paragraph.replace(/\r?\n/g, '<br />')}</p>`).join('');
}
