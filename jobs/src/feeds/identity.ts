import { createHash } from 'node:crypto';

/** Keys longer than this are hashed: they must fit a btree index and say nothing more when long. */
const MAX_KEY_LENGTH = 512;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function boundedKey(value: string | undefined, prefix = ''): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  const key = `${prefix}${trimmed}`;
  return key.length > MAX_KEY_LENGTH ? `sha256:${sha256(key)}` : key;
}

/** What an entry's identity is made of, once cleaned. */
export interface IdentityParts {
  guid?: string | undefined;
  url?: string | undefined;
  /** The first enclosure's URL (a podcast episode's audio file). */
  enclosureUrl?: string | undefined;
  /** The entry's own title, as plain text ('' when it has none: a made-up title is no identity). */
  ownTitle: string;
  /** The entry's own publication date, when it has one it can be dated by. */
  ownDate?: Date | undefined;
  /** The entry's text (summary or content), for entries with neither title nor date. */
  text: string;
  /** The key the older rule gave URL-less, guid-less entries: a hash of the title and content. */
  legacyText: string;
}

export interface EntryKeys {
  itemKey: string;
  /** Keys the same entry may already be stored under: before its title or date changed, or by the older rule. */
  aliasKeys: string[];
}

function entryKey(title: string, date: Date | undefined): string {
  return `entry:${sha256(`${title.toLowerCase()}\n${date?.toISOString() ?? ''}`)}`;
}

/**
 * An entry's key, unique within its source:
 *
 * 1. its guid (RSS guid, Atom id, JSON Feed id, RDF about);
 * 2. else its link;
 * 3. else its enclosure's URL (`enclosure:<url>`);
 * 4. else `entry:` and a hash of its own title and its own date — never of its text, so an
 *    edited body keeps the key; an entry with neither title nor date is keyed by its text.
 *
 * Entries keyed by rule 4 also carry aliases: the key with the title alone (it survives a date
 * change), the key with the date alone (it survives a title change), and the older rule's hash
 * of title and content. `finishKeys` then numbers look-alikes and drops ambiguous aliases.
 *
 * @example
 * entryKeys({ ownTitle: 'Gates open early', ownDate: new Date('2024-05-04T08:00:00Z'), text: '', legacyText: 'Gates open early\n' });
 */
export function entryKeys(parts: IdentityParts): EntryKeys {
  const direct = boundedKey(parts.guid) ?? boundedKey(parts.url) ?? boundedKey(parts.enclosureUrl, 'enclosure:');
  if (direct !== undefined) return { itemKey: direct, aliasKeys: [] };
  const legacy = `sha256:${sha256(parts.legacyText)}`;
  if (parts.ownTitle === '' && parts.ownDate === undefined) return { itemKey: `entry:${sha256(`\n\n${parts.text}`)}`, aliasKeys: [legacy] };
  const itemKey = entryKey(parts.ownTitle, parts.ownDate);
  const aliases = [legacy];
  if (parts.ownTitle !== '' && parts.ownDate !== undefined)
    aliases.unshift(entryKey(parts.ownTitle, undefined), entryKey('', parts.ownDate));
  return { itemKey, aliasKeys: aliases };
}

/**
 * Makes keys unique within one document. Entries that share a made-up key (same title and date,
 * nothing else to tell them apart) are numbered from the end of the feed, where the oldest entries
 * are, so the entry a feed adds at the top is the one that gets a new number. Explicit keys (guid,
 * link, enclosure) that repeat are left alone: the first such entry wins. An alias that two
 * entries share, or that is another entry's key, identifies neither and is dropped.
 */
export function finishKeys<T extends EntryKeys>(items: T[]): T[] {
  const seen = new Map<string, number>();
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (!item?.itemKey.startsWith('entry:')) continue;
    const count = seen.get(item.itemKey) ?? 0;
    seen.set(item.itemKey, count + 1);
    if (count > 0) item.itemKey = `${item.itemKey}#${String(count)}`;
  }
  const uses = new Map<string, number>();
  for (const item of items) for (const key of [item.itemKey, ...item.aliasKeys]) uses.set(key, (uses.get(key) ?? 0) + 1);
  for (const item of items) item.aliasKeys = item.aliasKeys.filter((key) => uses.get(key) === 1);
  return items;
}
