/**
 * Near-duplicate detection of news stories: the same story published by two sources under other
 * URLs — syndicated copies, wire stories with a site's own headline, light rewrites — is one story.
 *
 * Each article is reduced to a signature of its normalised words (lower case, accents and
 * punctuation gone, stop words out, plurals and verb endings folded) and of the numbers it states.
 * Two articles are one story when their words overlap enough, weighing the headline and the text
 * apart, and they do not contradict each other on numbers: "Celtics beat Knicks 112-104" and
 * "Celtics beat Knicks 98-95" share nearly every word and are two games. The thresholds are held by
 * the precision and recall test over the fixture pairs in `fixtures.ts`.
 */

/** What a story is compared by. */
export interface StoryText {
  title: string;
  /** Plain text ('' when the article has none). */
  summary: string;
}

/**
 * Normalised words as sorted, distinct 32-bit hashes: two signatures are compared by merging two
 * short integer arrays instead of looking strings up. Two different words with the same hash
 * count as one (about one pair in 4·10⁹).
 */
export type WordSet = Uint32Array;

/** The compared form of an article; cheap to keep and to compare. */
export interface StorySignature {
  title: WordSet;
  /** Words of the title and the text together. */
  words: WordSet;
  /** Numbers stated in the title and text (scores, amounts, ages), normalised. */
  numbers: ReadonlySet<string>;
  /** The numbers that look like results (`112-104`, `3-1`). */
  results: readonly string[];
  /** Capitalised words of the headline: the names it is about (teams, players, leagues). */
  names: WordSet;
}

/** Overlap above which two articles are one story; see `sameStory`. */
export const STORY_THRESHOLD = 0.5;

const stopWords = new Set(
  (
    'a an and are as at be been but by for from had has have he her his in into is it its of on or that the their them they this ' +
    'to was were will with after before over under than then there these those who whom what when where which while why how ' +
    'about against between during up down out off again further once here all any both each few more most other some such no nor ' +
    'not only own same so too very can just should now says said say new news report reports update updates live via'
  ).split(' '),
);

/** Plurals and common verb endings folded, so `wins`/`win`, `beats`/`beat`, `traded`/`trade` meet. */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('es') && !word.endsWith('ses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

const NON_ASCII = /[^\u0000-\u007f]/;

/** Lower case, accents and apostrophes gone. ASCII text (most headlines) skips Unicode folding, which leaves it as it is. */
function normalise(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase().replace(/'/g, '');
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’']/g, '');
}

/** The words of a normalised text, stop words out and stemmed; on ASCII the same tokens by a cheaper pattern. */
function wordsIn(normalised: string): string[] {
  const tokens = NON_ASCII.test(normalised) ? normalised.match(/\p{L}[\p{L}\p{N}]*/gu) : normalised.match(/[a-z][a-z0-9]*/g);
  return (tokens ?? []).filter((token) => !stopWords.has(token)).map(stem);
}

/** Scores (`112-104`), times and amounts as written, and plain numbers of two or more digits, in a normalised text. */
function numbersIn(normalised: string): string[] {
  // Runs of digits and the separators inside numbers, trimmed of separators at their ends.
  const runs = NON_ASCII.test(normalised) ? normalised.match(/[\p{N}.,:-]+/gu) : normalised.match(/[0-9.,:-]+/g);
  return (runs ?? [])
    .map((run) => run.replace(/^[.,:-]+|[.,:-]+$/g, '').replace(/,(?=\d{3}\b)/g, ''))
    .filter((number) => /^\p{N}/u.test(number))
    .filter((number) => number.length >= 2);
}

/**
 * The signature of an article.
 *
 * @example
 * storySignature({ title: 'Celtics beat Knicks 112-104', summary: 'Tatum scored 34.' }).numbers // Set { '112-104', '34' }
 */
export function storySignature(text: StoryText): StorySignature {
  const titleText = normalise(text.title);
  const summaryText = normalise(text.summary);
  const titleWords = wordsIn(titleText);
  const title = wordSet(titleWords);
  const words = wordSet([...titleWords, ...wordsIn(summaryText)]);
  const names = wordSet(
    (text.title.match(/\p{Lu}[\p{L}\p{N}’']*/gu) ?? []).flatMap((name) => wordsIn(normalise(name))).filter((name) => name.length > 1),
  );
  const numbers = new Set([...numbersIn(titleText), ...numbersIn(summaryText)]);
  return { title, words, numbers, results: [...numbers].filter(isResult), names };
}

/** FNV-1a over the UTF-16 code units of a word. */
function hashOf(word: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

function wordSet(words: readonly string[]): WordSet {
  const hashes = new Uint32Array(words.length);
  for (let index = 0; index < words.length; index++) hashes[index] = hashOf(words[index] ?? '');
  hashes.sort();
  let size = 0;
  for (let index = 0; index < hashes.length; index++) {
    const hash = hashes[index] ?? 0;
    if (size === 0 || hashes[size - 1] !== hash) hashes[size++] = hash;
  }
  return hashes.subarray(0, size);
}

const isResult = (number: string) => /^\d+-\d+$/.test(number);

/**
 * Words in both (a merge of the two sorted arrays). Given `needed`, it stops as soon as the words
 * left cannot make up that many, and the count it returns is then below `needed`.
 */
function sharedWords(a: WordSet, b: WordSet, needed = 0): number {
  const aLength = a.length;
  const bLength = b.length;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < aLength && j < bLength) {
    if (needed > 0 && shared + Math.min(aLength - i, bLength - j) < needed) return shared;
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return shared;
}

function jaccard(a: WordSet, b: WordSet): number {
  if (a.length === 0 || b.length === 0) return 0;
  const shared = sharedWords(a, b);
  return shared / (a.length + b.length - shared);
}

/** Whether `b` states one of the results `a` states. */
function statesResultOf(a: StorySignature, b: StorySignature): boolean {
  for (const result of a.results) if (b.numbers.has(result)) return true;
  return false;
}

/** Numbers stated in both. */
function sharedNumbers(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared += 1;
  return shared;
}

/**
 * Two numbers that look like results (`112-104`, `3-1`) and differ are two events; so are two
 * articles whose every stated number differs when each states at least two.
 */
function contradicts(a: StorySignature, b: StorySignature, sharedResult: boolean): boolean {
  if (a.results.length > 0 && b.results.length > 0 && !sharedResult) return true;
  if (a.numbers.size >= 2 && b.numbers.size >= 2 && sharedNumbers(a.numbers, b.numbers) === 0) return true;
  return false;
}

/** Fewer shared words than this are no evidence of one story, however short both texts are. */
const MIN_SHARED_WORDS = 3;

/** Below this many words, containment says little: short headlines share words by chance. */
const MIN_CONTAINED_WORDS = 6;

/**
 * How alike two articles are, from 0 to 1: the best of the headline overlap, the overlap of all
 * words (by containment too, so a short copy of a longer text scores high) and their blend. Two
 * articles that state the same result and name the same two or more names are one story however
 * they are worded; two that contradict each other on numbers, or whose headlines name nobody in
 * common, are not.
 */
export function storySimilarity(a: StorySignature, b: StorySignature): number {
  const shared = sharedWords(a.words, b.words);
  const sharedResult = statesResultOf(a, b);
  const sharedNames = sharedWords(a.names, b.names);
  if (shared < MIN_SHARED_WORDS && !(sharedResult && sharedNames >= 2)) return 0;
  if (contradicts(a, b, sharedResult)) return 0;
  const headline = jaccard(a.title, b.title);
  // Both texts have words: the names (or the shared words) come from them.
  const smaller = Math.min(a.words.length, b.words.length);
  const contained = smaller >= MIN_CONTAINED_WORDS ? (0.85 * shared) / smaller : 0;
  const text = Math.max(shared / (a.words.length + b.words.length - shared), contained);
  let score = Math.max(headline, text, 0.5 * headline + 0.5 * text);
  if (a.names.length > 0 && b.names.length > 0 && sharedNames === 0) score *= 0.5;
  if (sharedResult && sharedNames >= 2) score = Math.max(score, STORY_THRESHOLD + 0.1);
  return Math.min(1, score);
}

/**
 * False only when `storySimilarity(a, b)` is certainly below `threshold`, at a fraction of its
 * cost: most candidates are no match, and for those the overlap of all words is cut short as soon
 * as it cannot reach what the text score needs. Without the result rule, a score at or above
 * `threshold` needs the headline overlap or the text overlap to reach it on its own (the blend
 * never exceeds both, the names rule only lowers it); the text overlap needs enough shared words
 * for its Jaccard index or its containment.
 */
export function mayReach(a: StorySignature, b: StorySignature, threshold: number): boolean {
  if (statesResultOf(a, b) && sharedWords(a.names, b.names) >= 2) return true;
  if (jaccard(a.title, b.title) >= threshold) return true;
  const total = a.words.length + b.words.length;
  const smaller = Math.min(a.words.length, b.words.length);
  // shared / (total - shared) >= threshold, and 0.85 * shared / smaller >= threshold.
  const forJaccard = (threshold * total) / (1 + threshold);
  const forContainment = smaller >= MIN_CONTAINED_WORDS ? (threshold * smaller) / 0.85 : Number.POSITIVE_INFINITY;
  const needed = Math.max(MIN_SHARED_WORDS, Math.ceil(Math.min(forJaccard, forContainment) - 1e-9));
  return sharedWords(a.words, b.words, needed) >= needed;
}

/** Whether two articles tell one story. */
export function sameStory(a: StorySignature, b: StorySignature): boolean {
  return storySimilarity(a, b) >= STORY_THRESHOLD;
}
