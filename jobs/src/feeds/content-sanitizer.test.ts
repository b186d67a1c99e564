import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeed as parseDocument } from 'feedsmith';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import {
  absoluteUrl,
  contentTags,
  headingRenames,
  imageAttributes,
  imageSchemes,
  isTrackingImage,
  LINK_REL,
  linkAttributes,
  linkSchemes,
  NESTING_LIMIT,
  nonTextTags,
  sanitizeFragment,
} from './content-sanitizer.ts';

/*
 * The sanitizer is compared with sanitize-html 2.17 run with the same allow-list, the rules the
 * feed pipeline used before: over every string in the feed fixtures, hostile vectors, and
 * generated markup (unclosed and stray tags, deep nesting, every attribute and URL trick).
 */

function withAttribute(attribs: sanitizeHtml.Attributes, name: string, value: string | undefined): sanitizeHtml.Attributes {
  const copy = { ...attribs };
  if (value === undefined) Reflect.deleteProperty(copy, name);
  else copy[name] = value;
  return copy;
}

function referenceOptions(baseUrl: string | undefined): sanitizeHtml.IOptions {
  return {
    allowedTags: [...contentTags],
    allowedAttributes: { a: [...linkAttributes], img: [...imageAttributes] },
    allowedSchemes: [...linkSchemes],
    allowedSchemesByTag: { img: [...imageSchemes] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: [...nonTextTags],
    nestingLimit: NESTING_LIMIT,
    transformTags: {
      ...Object.fromEntries(headingRenames),
      a: (tagName, attribs) => ({
        tagName,
        attribs: withAttribute(withAttribute(attribs, 'href', absoluteUrl(attribs.href, baseUrl)), 'rel', LINK_REL),
      }),
      img: (tagName, attribs) => ({ tagName, attribs: withAttribute(attribs, 'src', absoluteUrl(attribs.src, baseUrl)) }),
    },
    exclusiveFilter: (frame) => {
      if (frame.tag === 'a') return frame.attribs.href === undefined ? 'excludeTag' : false;
      if (frame.tag !== 'img') return false;
      const src = frame.attribs.src;
      return src === undefined || src === '' || isTrackingImage(src, frame.attribs.width, frame.attribs.height);
    },
  };
}

const bases = ['https://news.example.com/2024/story/', undefined, 'http://h.example'];

function expectSameAsReference(html: string): void {
  for (const baseUrl of bases) {
    const reference = sanitizeHtml(html, referenceOptions(baseUrl)).trim();
    const fragment = sanitizeFragment(html, baseUrl);
    expect({ html: fragment.html, visibleText: fragment.visibleText, image: fragment.image }, JSON.stringify({ html, baseUrl })).toEqual({
      html: reference,
      visibleText: /[^\s\u00a0]/.test(reference.replace(/<[^>]*>/g, '')),
      image: reference.includes('<img'),
    });
  }
}

const fixtureRoot = fileURLToPath(new URL('../../../test/fakes/feeds/', import.meta.url));

function fixtureFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? fixtureFiles(path) : [path];
  });
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** A deterministic stream of numbers in [0, 1). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const tagNames = [
  ...contentTags,
  ...nonTextTags,
  ...headingRenames.keys(),
  'div',
  'span',
  'section',
  'table',
  'tr',
  'td',
  'param',
  'video',
  'source',
  'form',
  'input',
  'hr',
  'font',
  'u',
  'A',
  'IMG',
  'P',
  'IFRAME',
  'Script',
];
const attributeNames = ['href', 'src', 'title', 'alt', 'rel', 'width', 'height', 'target', 'onclick', 'onerror', 'style', 'class', 'id'];
const moreAttributeNames = ['srcset', 'HREF', 'Src', '__proto__', 'constructor', '1', 'xlink:href', 'data-x', 'name'];
const attributeValues = [
  '',
  ' ',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  'java&#x09;script:alert(1)',
  '&#106;avascript:alert(1)',
  'jav<!-- x -->ascript:alert(1)',
  '\u0000javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:image/png;base64,AAAA',
  'vbscript:msgbox(1)',
  'mailto:desk@example.com',
  ' MAILTO:desk@example.com ',
  'mailto:',
  'tel:+15555550100',
  'ftp://files.example/x',
  '//evil.example/x',
  '\\\\evil.example/x',
  '/\\evil.example/x',
  '/rel/path.jpg',
  '../up',
  '?q=1&amp;b=2',
  '#frag',
  'relative:x',
  'https://user:pass@host.example/',
  'https://pixel.wp.com/g.gif?blog=1',
  'https://example.com/pixel.gif?id=1',
  'https://feeds.feedburner.com/~r/Example/~4/abc',
  'https://cdn.example.com/big.jpg',
  'http://ok.example/a b"c<d>&e',
  'http://[::1',
  '1',
  '2',
  '0.5',
  '2px',
  '100',
  'x" onload="y',
  '<script>alert(1)</script>',
  '&quot;&lt;&gt;&amp;',
  '&bogus;',
  '\u00e9t\u00e9 \ud83d\ude00',
];
const texts = [
  'a',
  ' ',
  '\u00a0',
  '&nbsp;',
  '&amp;',
  '&lt;b&gt;',
  '<',
  '>',
  '&',
  '& ',
  '&#0;',
  '&#x0;',
  '&bogus;',
  '&amp',
  '&eacute;',
  '&#8212;',
  '\n\t',
  'Celtics win again',
  '"quoted"',
  "'",
  '\ud83d\ude00',
  '&#x1F600;',
  '\u2028',
  '\u3000',
  '<!-- comment -->',
  '<![CDATA[cdata <b>]]>',
  '<?pi x?>',
  '<!doctype html>',
  '</',
  '< p>',
  '<a href="unterminated',
  '<p <b>',
  '<img src=x onerror=alert(1)//',
];

function pick<T>(next: () => number, values: readonly T[]): T {
  const value = values[Math.floor(next() * values.length)];
  if (value === undefined) throw new Error('empty list');
  return value;
}

function attributesOf(next: () => number): string {
  let out = '';
  const count = Math.floor(next() * 4);
  for (let index = 0; index < count; index++) {
    const name = next() < 0.85 ? pick(next, attributeNames) : pick(next, moreAttributeNames);
    const value = pick(next, attributeValues);
    const style = next();
    if (style < 0.6) out += ` ${name}="${value.replace(/"/g, '&quot;')}"`;
    else if (style < 0.75) out += ` ${name}='${value.replace(/'/g, '&#39;')}'`;
    else if (style < 0.9) out += ` ${name}=${value.replace(/[\s"'>]/g, '') || 'x'}`;
    else out += ` ${name}`;
  }
  return out;
}

/** Random markup: tags opened and closed (matching or not), text, entities, comments and broken syntax. */
function generatedHtml(next: () => number): string {
  const open: string[] = [];
  let html = '';
  const steps = 1 + Math.floor(next() * 30);
  for (let step = 0; step < steps; step++) {
    const roll = next();
    if (roll < 0.35) {
      const name = pick(next, tagNames);
      html += `<${name}${attributesOf(next)}${next() < 0.1 ? ' /' : ''}>`;
      open.push(name);
    } else if (roll < 0.55) {
      const name = next() < 0.8 ? open.pop() : pick(next, tagNames);
      if (name !== undefined) html += `</${name}>`;
    } else if (roll < 0.58) {
      const name = pick(next, ['b', 'p', 'div', 'a', 'li', 'blockquote']);
      const depth = 55 + Math.floor(next() * 20);
      html += `<${name}${name === 'a' ? ' href="/x"' : ''}>`.repeat(depth) + 'deep' + (next() < 0.5 ? `</${name}>`.repeat(depth) : '');
    } else {
      html += pick(next, texts);
    }
  }
  return html;
}

const hostile = [
  '<p onclick="x()">Hi <a href="/a">there</a><script>evil()</script></p>',
  '<svg><script>alert(1)</script></svg><math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<a href="javascript&colon;alert(1)">x</a><a href="jav&#x0A;ascript:alert(1)">y</a>',
  '<img src="x" onerror="alert(1)"><img src=javascript:alert(1)><img/src="x"/onerror=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe><object data="javascript:alert(1)"></object>',
  '<style>@import "javascript:alert(1)";</style><p style="background:url(javascript:alert(1))">s</p>',
  '<textarea><img src=x onerror=alert(1)></textarea><title><img src=x></title>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<template><script>alert(1)</script></template><select><option><img src=x></option></select>',
  '<a href="https://x.example/" rel="opener" target="_blank" title="t">x</a>',
  '<h1>a</h1><h5>b</h5><h6 class="c">c</h6><H1>d</H1>',
  '<p>&nbsp; \u00a0</p><div><br></div>',
  '<p>unclosed <b>bold <i>italic',
  '</p></br><p>stray ends</a></img>',
  `${'<div>'.repeat(80)}deep${'</div>'.repeat(80)}`,
  `${'<a href="/x">'.repeat(70)}links`,
  `${'<h1>'.repeat(70)}heads${'</h1>'.repeat(70)}<p>after</p>`,
];

describe('sanitizeFragment matches sanitize-html with the same allow-list', () => {
  it('on every string in the feed fixtures', () => {
    let compared = 0;
    for (const path of fixtureFiles(fixtureRoot)) {
      const text = readFileSync(path, 'utf8');
      expectSameAsReference(text);
      let document: unknown;
      try {
        document = parseDocument(text);
      } catch {
        continue;
      }
      for (const value of stringsIn(document)) {
        expectSameAsReference(value);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it.each(hostile)('on %j', (html) => {
    expectSameAsReference(html);
  });

  it('on generated markup', () => {
    const next = generator(20_241_207);
    for (let index = 0; index < 4000; index++) expectSameAsReference(generatedHtml(next));
  });
});
