import { createHash } from 'node:crypto';
import type { SummaryLength } from '@pressbox/db';
import type { SummaryArticle } from './interface.ts';
import { lengthSettings } from './lengths.ts';
import { contentWords, normalizeText, plainText } from './text.ts';

export interface SelectOptions {
  /** Overrides the length's article count limit. */
  maxArticles?: number;
  /** Overrides the length's approximate token budget (characters / 4). */
  tokenBudget?: number;
}

/** Longest summary kept per article, so one full-text "summary" cannot eat the whole budget. */
const summaryMaxChars = 1_200;
/** Characters the prompt spends per article on its id, date, source and JSON punctuation. */
const perArticleOverheadChars = 80;
/** Summaries at least this similar (Jaccard of their word sets) are the same story. */
const duplicateSimilarity = 0.9;
/** Shorter summaries say too little to call two articles duplicates by their summary alone. */
const minWordsForSummaryMatch = 6;

/**
 * Chooses the articles a summary is grounded on: newest first, without duplicates (same normalised
 * title, or a near-identical summary: the older copy is dropped), at most the length's article
 * count, and within its approximate token budget. Titles and summaries come back as plain text
 * (tags and entities of sanitized HTML resolved); over-long summaries are cut at a word boundary.
 * The newest article is always kept, so a non-empty input gives a non-empty selection.
 *
 * @example
 * const articles = selectArticles(recent, 'SHORT');
 * const version = inputVersion(articles.map((article) => article.id));
 */
export function selectArticles(articles: readonly SummaryArticle[], length: SummaryLength, options: SelectOptions = {}): SummaryArticle[] {
  const settings = lengthSettings[length];
  const maxArticles = options.maxArticles ?? settings.maxArticles;
  const budgetChars = (options.tokenBudget ?? settings.tokenBudget) * 4;
  const newestFirst = articles
    .map((article, index) => ({ article, index }))
    .sort((a, b) => b.article.publishedAt.getTime() - a.article.publishedAt.getTime() || a.index - b.index)
    .map(({ article }) => article);

  const chosen: SummaryArticle[] = [];
  const titles = new Set<string>();
  const summaries: Set<string>[] = [];
  let usedChars = 0;
  for (const article of newestFirst) {
    if (chosen.length >= maxArticles) break;
    const plainTitle = plainText(article.title);
    const plainSummary = plainText(article.summary);
    const title = normalizeText(plainTitle);
    const words = new Set(contentWords(plainSummary));
    if (title !== '' && titles.has(title)) continue;
    if (words.size >= minWordsForSummaryMatch && summaries.some((other) => jaccard(words, other) >= duplicateSimilarity)) continue;

    const trimmed = { ...article, title: plainTitle, summary: truncateAtWord(plainSummary, summaryMaxChars) };
    if (chosen.length > 0 && usedChars + promptChars(trimmed) > budgetChars) break;
    if (chosen.length === 0 && promptChars(trimmed) > budgetChars) {
      trimmed.summary = truncateAtWord(trimmed.summary, Math.max(0, budgetChars - promptChars(trimmed) + trimmed.summary.length));
    }
    chosen.push(trimmed);
    usedChars += promptChars(trimmed);
    if (title !== '') titles.add(title);
    if (words.size >= minWordsForSummaryMatch) summaries.push(words);
  }
  return chosen;
}

/**
 * The identity of a summary's input: sha256 of the de-duplicated article ids sorted by code unit
 * (hashed as a JSON array), as 32 hex characters. Two selections of the same articles in any order
 * share a version, so a summary is regenerated only when the set of articles changes.
 *
 * @example
 * inputVersion(['b', 'a']) === inputVersion(['a', 'b', 'a']) // true
 */
export function inputVersion(articleIds: readonly string[]): string {
  const ids = [...new Set(articleIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // JSON keeps ids apart even if one contains the character a plain join would use.
  return createHash('sha256').update(JSON.stringify(ids)).digest('hex').slice(0, 32);
}

function promptChars(article: SummaryArticle): number {
  return article.title.length + article.summary.length + article.sourceName.length + perArticleOverheadChars;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function truncateAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 1) return '';
  const cut = text.slice(0, Math.max(0, maxChars - 1));
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
