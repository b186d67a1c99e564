import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Turning feed bytes into text the way RFC 7303 orders it: a byte order mark first, then the
 * charset of the HTTP Content-Type, then the XML declaration, then detection. Every decoder is
 * iconv-lite's or Node's UTF-8, never `TextDecoder` for single-byte charsets: Node 20 maps
 * windows-1252's 0x80–0x9F to C1 controls (nodejs/node#60888).
 */

type Family = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** Byte order marks, longest first: UTF-32LE's starts with UTF-16LE's. */
const byteOrderMarks: readonly { bytes: readonly number[]; encoding: Family }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Labels that name ISO-8859-1 or ASCII mean windows-1252 on the web (the WHATWG Encoding
 * Standard): publishers who say latin1 type curly quotes and euro signs all the same.
 */
const windows1252Labels = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'iso88591',
  'latin1',
  'latin-1',
  'l1',
  'cp819',
  'ibm819',
  'us-ascii',
  'ascii',
  'ansi_x3.4-1968',
  'cp1252',
  'windows-1252',
  'x-cp1252',
]);

/** A charset label as iconv-lite knows it, or undefined for labels that name nothing we can decode. */
function encodingOf(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const lower = label.trim().toLowerCase();
  if (windows1252Labels.has(lower)) return 'windows-1252';
  if (lower === 'utf8' || lower === 'unicode-1-1-utf-8') return 'utf-8';
  return iconv.encodingExists(lower) ? lower : undefined;
}

function bomOf(body: Buffer): { encoding: Family; length: number } | undefined {
  const mark = byteOrderMarks.find((candidate) => candidate.bytes.every((byte, index) => body[index] === byte));
  return mark ? { encoding: mark.encoding, length: mark.bytes.length } : undefined;
}

/**
 * UTF-16 and UTF-32 without a byte order mark, told apart by where the zero bytes fall in the first
 * characters (an XML document starts with `<` or whitespace, all ASCII).
 */
function sniffWideFamily(body: Buffer): Family | undefined {
  const length = Math.min(body.length - (body.length % 4), 256);
  if (length < 8) return undefined;
  const zeros = [0, 0, 0, 0];
  for (let index = 0; index < length; index++) if (body[index] === 0) zeros[index % 4] = (zeros[index % 4] ?? 0) + 1;
  const quarter = length / 4;
  const mostly = (count: number | undefined) => (count ?? 0) >= quarter * 0.9;
  const rarely = (count: number | undefined) => (count ?? 0) <= quarter * 0.1;
  const [z0, z1, z2, z3] = zeros;
  if (rarely(z0) && mostly(z1) && mostly(z2) && mostly(z3)) return 'utf-32le';
  if (mostly(z0) && mostly(z1) && mostly(z2) && rarely(z3)) return 'utf-32be';
  if (rarely(z0) && mostly(z1) && rarely(z2) && mostly(z3)) return 'utf-16le';
  if (mostly(z0) && rarely(z1) && mostly(z2) && rarely(z3)) return 'utf-16be';
  return undefined;
}

const wide = new Set([
  'utf-16',
  'utf-16le',
  'utf-16be',
  'utf16',
  'utf16le',
  'utf16be',
  'ucs-2',
  'ucs2',
  'utf-32',
  'utf-32le',
  'utf-32be',
  'utf32',
  'ucs-4',
]);

/**
 * The declared encoding, unless it cannot be true: a document whose first bytes read as ASCII is
 * not UTF-16 or UTF-32, whatever its label says (a common mislabel).
 */
function plausible(encoding: string | undefined): string | undefined {
  return encoding !== undefined && wide.has(encoding) ? undefined : encoding;
}

/** The `encoding` of an ASCII-compatible XML declaration. */
function declaredEncoding(body: Buffer): string | undefined {
  const head = body.subarray(0, 200).toString('latin1');
  return /^\s*<\?xml[^>]{0,150}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head)?.[1];
}

function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})/i.exec(contentType ?? '')?.[1];
}

/**
 * Decodes a feed's bytes: BOM, then the HTTP charset, then the XML declaration, then detection
 * (UTF-16/32 by their zero bytes, else UTF-8). UTF-8 — declared or detected — is decoded leniently:
 * a byte that is not valid UTF-8 is read as windows-1252, so an undeclared ISO-8859-1 feed and a
 * UTF-8 feed with a few pasted-in legacy bytes both keep their characters instead of U+FFFD.
 *
 * @example
 * decodeFeedBytes(Buffer.from([0x93, 0x68, 0x69, 0x94]), 'text/xml; charset=windows-1252'); // '“hi”'
 */
export function decodeFeedBytes(body: Buffer, contentType: string | undefined): string {
  const bom = bomOf(body);
  if (bom) return decodeAs(body.subarray(bom.length), bom.encoding);
  const family = sniffWideFamily(body);
  if (family) return decodeAs(body, family);
  const encoding = plausible(encodingOf(charsetOf(contentType))) ?? plausible(encodingOf(declaredEncoding(body))) ?? 'utf-8';
  return decodeAs(body, encoding);
}

function decodeAs(body: Buffer, encoding: string): string {
  if (encoding === 'utf-8') return decodeUtf8Leniently(body);
  return iconv.decode(body, encoding, { stripBOM: true });
}

/**
 * UTF-8 where it is valid, windows-1252 for each byte where it is not.
 *
 * @example
 * decodeUtf8Leniently(Buffer.from([0x43, 0x61, 0x66, 0xe9])); // 'Café'
 */
export function decodeUtf8Leniently(body: Buffer): string {
  if (isUtf8(body)) return body.toString('utf8');
  const parts: string[] = [];
  let start = 0;
  let index = 0;
  while (index < body.length) {
    const length = validSequenceLength(body, index);
    if (length > 0) {
      index += length;
      continue;
    }
    if (start < index) parts.push(body.toString('utf8', start, index));
    parts.push(iconv.decode(body.subarray(index, index + 1), 'windows-1252'));
    index += 1;
    start = index;
  }
  if (start < body.length) parts.push(body.toString('utf8', start));
  return parts.join('');
}

const continuation = (byte: number | undefined) => byte !== undefined && byte >= 0x80 && byte <= 0xbf;

/** Length of the well-formed UTF-8 sequence at `index` (RFC 3629 table), or 0. */
function validSequenceLength(body: Buffer, index: number): number {
  const lead = body[index] ?? 0;
  if (lead < 0x80) return 1;
  const second = body[index + 1];
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(second) ? 2 : 0;
  if (second === undefined) return 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return second >= low && second <= high && continuation(body[index + 2]) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return second >= low && second <= high && continuation(body[index + 2]) && continuation(body[index + 3]) ? 4 : 0;
  }
  return 0;
}
