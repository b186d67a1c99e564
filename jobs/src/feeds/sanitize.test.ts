import { describe, expect, it } from 'vitest';
import { htmlToText, isTrackingImage, sanitizeContent, textToHtml, truncateText } from './sanitize.ts';

const base = 'https://news.example.com/2024/story/';

describe('sanitizeContent', () => {
  it('keeps the formatting allow-list', () => {
    const html =
      '<h2>Head</h2><p><strong>b</strong> <em>i</em> <b>b</b> <i>i</i> <code>c</code></p><ul><li>1</li></ul><ol><li>2</li></ol><blockquote>q</blockquote><pre>p</pre><figure><figcaption>f</figcaption></figure><br />';
    expect(sanitizeContent(html, base)).toBe(html);
  });

  it('removes scripts, styles, iframes, forms and their content', () => {
    const html =
      '<p>ok</p><script>alert(1)</script><style>p{color:red}</style><iframe src="https://evil.example/">frame</iframe><noscript>ns</noscript><form action="/x"><button>go</button><select><option>o</option></select></form>';
    expect(sanitizeContent(html, base)).toBe('<p>ok</p>');
  });

  it('removes event handlers, styles and classes', () => {
    expect(sanitizeContent('<p onclick="steal()" style="color:red" class="x" id="y">text</p>', base)).toBe('<p>text</p>');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
  ])('drops the link target %j but keeps the link text', (href) => {
    expect(sanitizeContent(`<p><a href="${href}">click</a></p>`, base)).toBe('<p>click</p>');
  });

  it('resolves relative links against the item base and marks them', () => {
    expect(sanitizeContent('<a href="../other">o</a>', base)).toBe(
      `<a href="https://news.example.com/2024/other" rel="noopener noreferrer nofollow">o</a>`,
    );
  });

  it('replaces any rel or target the feed set', () => {
    expect(sanitizeContent('<a href="https://x.example/" rel="opener" target="_blank">x</a>', base)).toBe(
      '<a href="https://x.example/" rel="noopener noreferrer nofollow">x</a>',
    );
  });

  it('keeps mailto links', () => {
    expect(sanitizeContent('<a href="mailto:desk@example.com">mail</a>', base)).toBe(
      '<a href="mailto:desk@example.com" rel="noopener noreferrer nofollow">mail</a>',
    );
  });

  it('resolves relative image sources and keeps alt text', () => {
    expect(sanitizeContent('<img src="photo.jpg" alt="The photo" onerror="x()">', base)).toBe(
      '<img src="https://news.example.com/2024/story/photo.jpg" alt="The photo" />',
    );
  });

  it('drops images from data: and javascript: URLs', () => {
    expect(sanitizeContent('<p>a</p><img src="data:image/png;base64,AAAA"><img src="javascript:alert(1)">', base)).toBe('<p>a</p>');
  });

  it.each([
    '<img src="https://cdn.example.com/a.gif" width="1" height="1">',
    '<img src="https://cdn.example.com/a.gif" width="2">',
    '<img src="https://feeds.feedburner.com/~r/Example/~4/abc">',
    '<img src="https://pixel.wp.com/g.gif?blog=1">',
    '<img src="https://stats.wordpress.com/b.gif">',
    '<img src="https://example.com/pixel.gif?id=1">',
    '<img src="https://example.com/track/open?id=1">',
  ])('removes the tracking pixel %s', (img) => {
    expect(sanitizeContent(`<p>text</p>${img}`, base)).toBe('<p>text</p>');
  });

  it('maps h1 to h2 and h5/h6 to h4', () => {
    expect(sanitizeContent('<h1>a</h1><h5>b</h5><h6>c</h6>', base)).toBe('<h2>a</h2><h4>b</h4><h4>c</h4>');
  });

  it('returns undefined when only whitespace and non-breaking spaces are left', () => {
    expect(sanitizeContent('<p>&nbsp; \u00a0</p><div><br></div>')).toBeUndefined();
    expect(sanitizeContent('<p>&nbsp;&amp;</p>')).toBe('<p>\u00a0&amp;</p>');
  });

  it('returns undefined when nothing is left', () => {
    expect(sanitizeContent('<script>x()</script><p> </p>', base)).toBeUndefined();
    expect(sanitizeContent('', base)).toBeUndefined();
    expect(sanitizeContent(undefined, base)).toBeUndefined();
  });

  it.each([
    ['iframe', '<p>Before</p><iframe src="https://v.example/1"><p>After</p>'],
    ['object', '<p>Before</p><object data="x.swf"><param name="movie" value="x.swf"><p>After</p>'],
    ['IFRAME in capitals', '<p>Before</p><IFRAME SRC="https://v.example/1"><p>After</p>'],
  ])('keeps the content after an unclosed %s', (_label, html) => {
    expect(sanitizeContent(html, base)).toBe('<p>Before</p><p>After</p>');
  });

  it('keeps an image-only body', () => {
    expect(sanitizeContent('<img src="https://cdn.example.com/big.jpg" width="800">', base)).toBe(
      '<img src="https://cdn.example.com/big.jpg" width="800" />',
    );
  });
});

describe('isTrackingImage', () => {
  it('does not flag ordinary images', () => {
    expect(isTrackingImage('https://cdn.example.com/tracks/album.jpg', '300', '300')).toBe(false);
  });
});

describe('htmlToText', () => {
  it('strips tags, decodes entities and collapses whitespace', () => {
    expect(htmlToText('<p>Fish &amp; chips</p>\n\n<p>&eacute;t&eacute; &#8212; &lt;b&gt;</p>')).toBe('Fish & chips été — <b>');
  });

  it('separates block elements', () => {
    expect(htmlToText('<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>line<br>break')).toBe('one two three four line break');
  });

  it('drops script and style text', () => {
    expect(htmlToText('a<script>var x = 1;</script><style>.b{}</style>b')).toBe('ab');
  });

  it('leaves a plain less-than sign alone', () => {
    expect(htmlToText('3 < 4 & 5 > 2')).toBe('3 < 4 & 5 > 2');
  });

  it('drops the text of embedded documents and widgets, nested or left open', () => {
    expect(htmlToText('a<svg><title>icon</title><text>svg text</text></svg>b<select><option>x</option></select>c')).toBe('abc');
    expect(htmlToText('kept<svg>never closed <p>hidden</p>')).toBe('kept');
    expect(htmlToText('a<iframe src="https://v.example/1">fallback</iframe>b<object data="x.swf">no plugin</object>c')).toBe('abc');
    expect(htmlToText('</svg>stray closing tags do not hide text</script>')).toBe('stray closing tags do not hide text');
  });

  it.each([
    ['an unclosed iframe', 'Before <iframe src="https://v.example/1">after the frame'],
    ['an unclosed object', 'Before <object data="x.swf"><param name="movie" value="x.swf"><p>after the frame</p>'],
    ['an object closed by its parent', '<p>Before <object data="x.swf"></p><p>after the frame</p>'],
    ['an unclosed iframe inside a closed object', 'Before <object data="x.swf"><iframe src="https://v.example/1"></object>after the frame'],
  ])('keeps the text after %s', (_label, html) => {
    expect(htmlToText(html)).toBe('Before after the frame');
  });

  it('treats non-breaking spaces as spaces and keeps inline text together', () => {
    expect(htmlToText('<p>&nbsp;Boston\u00a0&nbsp; <b>Cel</b><i>tics</i>&nbsp;</p>')).toBe('Boston Celtics');
  });

  it('collapses every kind of whitespace run, and leaves lone spaces alone', () => {
    expect(htmlToText('<p>one two three</p>')).toBe('one two three');
    expect(htmlToText('a\u00a0b\tc\u2028d\u3000e\ufeff f  g &amp;')).toBe('a b c d e f g &');
    expect(htmlToText('no\u200bbreak')).toBe('no\u200bbreak');
  });

  it('collapses plain text without parsing it', () => {
    expect(htmlToText('  Celtics\n\twin   again ')).toBe('Celtics win again');
    expect(htmlToText(undefined)).toBe('');
  });
});

describe('truncateText', () => {
  it('leaves short text alone', () => {
    expect(truncateText('short', 10)).toBe('short');
  });

  it('cuts on a word boundary and adds an ellipsis', () => {
    expect(truncateText('the quick brown fox jumps', 18)).toBe('the quick brown…');
  });

  it('cuts inside a very long word when it has to', () => {
    expect(truncateText('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateText(`${'a'.repeat(8)}😀😀😀`, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });
});

describe('textToHtml', () => {
  it('escapes markup and keeps paragraphs and line breaks', () => {
    expect(textToHtml('a <b>\nc\n\nd & e')).toBe('<p>a &lt;b&gt;<br />c</p><p>d &amp; e</p>');
  });
});
