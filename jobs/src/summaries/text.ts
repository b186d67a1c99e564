/**
 * Lower-cased, accent-free words and digits separated by single spaces: two titles that differ only
 * in case, punctuation or spacing normalise to the same string.
 *
 * @example
 * normalizeText('Celtics WIN, 112–108!') // 'celtics win 112 108'
 */
export function normalizeText(text: string): string {
  // Decomposing is the slow part; plain ASCII has no accents to strip.
  const folded = /[^\u0000-\u007f]/.test(text) ? text.normalize('NFKD').replace(/\p{M}+/gu, '') : text;
  return folded
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * Text of a feed summary that may still hold (sanitized) HTML: tags become spaces, the common
 * entities their characters, whitespace is collapsed.
 *
 * @example
 * plainText('<p>Tatum &amp; Brown<br>combine for 70</p>') // 'Tatum & Brown combine for 70'
 */
export function plainText(html: string): string {
  return collapseWhitespace(
    html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (match, name: string) => entities[name] ?? match),
  );
}

/** Collapses runs of whitespace (feeds are full of newlines and tabs) into single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// Words a sentence ends with that do not end it: "the Celtics beat the Nets vs. Boston" must stay whole.
const abbreviations = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'vs',
  'v',
  'no',
  'etc',
  'inc',
  'co',
  'ltd',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'gen',
  'lt',
  'col',
  'sgt',
  'mt',
  'ft',
  'u.s',
  'e.g',
  'i.e',
]);

/**
 * Splits prose into sentences at `.`, `!` or `?` followed by whitespace and an upper-case letter,
 * digit or quote, keeping common abbreviations and initials ("J. Tatum") whole. Deterministic and
 * fast, which the extractive summarizer needs more than linguistic perfection.
 *
 * @example
 * splitSentences('Tatum scored 40. The Celtics won vs. the Nets.') // ['Tatum scored 40.', 'The Celtics won vs. the Nets.']
 */
export function splitSentences(text: string): string[] {
  const prose = collapseWhitespace(text);
  if (prose === '') return [];
  const sentences: string[] = [];
  const boundary = /[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[\p{Lu}\p{N}])/gu;
  let start = 0;
  for (const match of prose.matchAll(boundary)) {
    const end = match.index + match[0].length;
    const candidate = prose.slice(start, end).trim();
    const lastWord = candidate
      .slice(candidate.lastIndexOf(' ') + 1)
      .replace(/[.!?"'”’)\]]+$/u, '')
      .toLowerCase();
    const isInitial = /^\p{L}$/u.test(lastWord);
    if (match[0].startsWith('.') && (abbreviations.has(lastWord) || isInitial)) continue;
    sentences.push(candidate);
    start = end;
  }
  const rest = prose.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}

// Function words carry no topic; without them "the" would make every pair of sentences similar.
const stopwords = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him himself ' +
    'his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them themselves then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves says said say new one two us via per'
  ).split(' '),
);

/**
 * Content words of a text for similarity: normalised, without stopwords (nor words whose stem is
 * in `ignore`), with one-letter tokens dropped and common English endings cut (`stem`), so "scores",
 * "scored" and "score" count as one term.
 *
 * @example
 * contentWords('The Celtics scored in their games') // ['celtic', 'scor', 'gam']
 */
export function contentWords(text: string, ignore?: ReadonlySet<string>): string[] {
  return contentTerms(normalizeText(text), ignore);
}

/** `contentWords` of a text already passed through `normalizeText`. */
export function contentTerms(normalized: string, ignore?: ReadonlySet<string>): string[] {
  const words: string[] = [];
  for (const word of normalized.split(' ')) {
    if (word.length < 2 || stopwords.has(word)) continue;
    const stemmed = stem(word);
    if (!ignore?.has(stemmed)) words.push(stemmed);
  }
  return words;
}

/**
 * A deliberately small suffix stripper (not Porter): enough to match inflections in headlines,
 * cheap enough for every sentence of every summary.
 */
export function stem(word: string): string {
  if (/^\p{N}/u.test(word)) return word;
  let stemmed = word;
  if (stemmed.length > 4 && stemmed.endsWith('ies')) stemmed = `${stemmed.slice(0, -3)}y`;
  else if (stemmed.length > 5 && stemmed.endsWith('ing')) stemmed = stemmed.slice(0, -3);
  else if (stemmed.length > 4 && stemmed.endsWith('ed')) stemmed = stemmed.slice(0, -2);
  else if (stemmed.length > 4 && stemmed.endsWith('es')) stemmed = stemmed.slice(0, -2);
  else if (stemmed.length > 3 && stemmed.endsWith('s') && !stemmed.endsWith('ss')) stemmed = stemmed.slice(0, -1);
  if (stemmed.length > 3 && stemmed.endsWith('e')) stemmed = stemmed.slice(0, -1);
  return stemmed;
}
