import { describe, expect, it } from 'vitest';
import { atomTextKind, decodeBase64Elements } from './atom-modes.ts';

describe('decodeBase64Elements', () => {
  it('decodes base64 content into escaped text and drops the mode', () => {
    const encoded = Buffer.from('<b>Bold</b> & more').toString('base64');
    expect(decodeBase64Elements(`<title type="text/html" mode="base64">${encoded}</title>`)).toBe(
      '<title type="text/html">&lt;b&gt;Bold&lt;/b&gt; &amp; more</title>',
    );
  });

  it('leaves other elements, and content that is not base64, alone', () => {
    const document = '<feed><title mode="escaped">a &amp; b</title><summary mode="base64">not base64!</summary></feed>';
    expect(decodeBase64Elements(document)).toBe(document);
  });
});

describe('atomTextKind', () => {
  it.each([
    [undefined, 'text'],
    ['text', 'text'],
    ['text/plain', 'text'],
    ['TEXT/PLAIN', 'text'],
    ['html', 'html'],
    ['xhtml', 'html'],
    ['text/html', 'html'],
    ['application/xhtml+xml', 'html'],
    ['text/csv', 'text'],
    ['image/png', 'other'],
    ['application/xml', 'other'],
  ])('reads type %j as %s', (type, kind) => {
    expect(atomTextKind(type)).toBe(kind);
  });
});
