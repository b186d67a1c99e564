import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, decodeUtf8Leniently } from './charset.ts';

describe('decodeUtf8Leniently', () => {
  it('reads valid UTF-8 as it is', () => {
    expect(decodeUtf8Leniently(Buffer.from('café “quoted” 𝄞'))).toBe('café “quoted” 𝄞');
  });

  it.each([
    ['a lone windows-1252 byte', [0x61, 0x93, 0x62], 'a“b'],
    ['an overlong encoding', [0xc0, 0xaf], 'À¯'],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 'í\u00a0€'],
    ['a truncated sequence at the end', [0x61, 0xe2, 0x80], 'aâ€'],
    ['a lead byte UTF-8 never uses', [0xf5, 0x80], 'õ€'],
  ])('reads %s as windows-1252 instead of U+FFFD', (_label, bytes, expected) => {
    expect(decodeUtf8Leniently(Buffer.from(bytes))).toBe(expected);
  });
});

describe('decodeFeedBytes', () => {
  const xml = (encoding: string) =>
    `<?xml version="1.0" encoding="${encoding}"?><rss><channel><title>Zürich – “Derby”</title></channel></rss>`;

  it('prefers a byte order mark to the HTTP charset and the declaration', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('iso-8859-1'))]);
    expect(decodeFeedBytes(body, 'text/xml; charset=windows-1252')).toBe(xml('iso-8859-1'));
  });

  it('prefers the HTTP charset to the declaration', () => {
    expect(decodeFeedBytes(iconv.encode(xml('utf-8'), 'windows-1252'), 'text/xml; charset=windows-1252')).toBe(xml('utf-8'));
  });

  it('uses the declaration when the HTTP charset is missing or unknown', () => {
    expect(decodeFeedBytes(iconv.encode(xml('windows-1252'), 'windows-1252'), 'text/xml')).toBe(xml('windows-1252'));
    expect(decodeFeedBytes(iconv.encode(xml('windows-1252'), 'windows-1252'), 'text/xml; charset=bogus')).toBe(xml('windows-1252'));
  });

  it('reads other declared charsets', () => {
    const cyrillic = '<?xml version="1.0" encoding="koi8-r"?><rss><channel><title>Спартак</title></channel></rss>';
    expect(decodeFeedBytes(iconv.encode(cyrillic, 'koi8-r'), undefined)).toBe(cyrillic);
  });

  it('detects UTF-16 without a byte order mark even when the charset says otherwise', () => {
    expect(decodeFeedBytes(iconv.encode(xml('utf-16'), 'utf-16be'), 'text/xml; charset=iso-8859-1')).toBe(xml('utf-16'));
  });
});
