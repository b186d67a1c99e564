/**
 * An entry with several publication dates (`<dc:date>` and `<pubDate>`, Atom 0.3 `<created>` and
 * `<issued>`) is dated by the first one in the document that can be read. The parser reports
 * these elements by name, not in order, and merges some of them, so the order is read off the
 * entry's own text.
 */

const entryStart = /<(?:item|entry|[\w.-]+:item|[\w.-]+:entry)[\s>/]/g;
const dateElement =
  /<(pubDate|published|issued|created|date|[\w.-]+:(?:pubDate|published|issued|created|date))(?=[\s>])[^<>]*>([^<]{1,120})<\/\1\s*>/g;

/** The text of each entry of an RSS, RDF or Atom document, in order; undefined when there are fewer than `count`. */
function entrySegments(text: string, count: number): string[] | undefined {
  const starts = [...text.matchAll(entryStart)].map((match) => match.index);
  if (starts.length < count) return undefined;
  return starts.map((start, index) => text.slice(start, starts[index + 1] ?? text.length));
}

/** The values of an entry's date elements in document order. */
function datesIn(segment: string): string[] {
  return [...segment.matchAll(dateElement)].map((match) => (match[2] ?? '').trim());
}

/**
 * Per entry, its publication dates in document order, ahead of the parser's own candidates
 * (which stay as the fallback). An entry's text is trusted only when it holds one of the dates the
 * parser reported for it, so a stray `<item>` inside escaped content cannot shift the entries.
 * Only documents where it can matter are scanned: an entry with two candidates, or a `created` element.
 *
 * @example
 * orderDatesByDocument(xml, [['Tue, 02 Apr 2024 10:00:00 GMT', '2024-04-01T10:00:00Z']]);
 * // [['2024-04-01T10:00:00Z', 'Tue, 02 Apr 2024 10:00:00 GMT']] when <dc:date> came first
 */
export function orderDatesByDocument(text: string | undefined, candidates: readonly (readonly string[])[]): (readonly string[])[] {
  const worthScanning = candidates.some((dates) => new Set(dates).size > 1) || text?.includes('created>') === true;
  if (text === undefined || !worthScanning) return [...candidates];
  const segments = entrySegments(text, candidates.length);
  if (!segments) return [...candidates];
  return candidates.map(function inDocumentOrder(dates, index) {
    const found = datesIn(segments[index] ?? '');
    if (dates.length === 0 || !found.some((value) => dates.includes(value))) return dates;
    return [...new Set([...found, ...dates])];
  });
}
