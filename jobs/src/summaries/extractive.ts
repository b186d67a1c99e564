import { NoArticlesError } from './errors.ts';
import type { SummaryBullet, Summarizer, SummaryInput, SummaryResult } from './interface.ts';
import { answerLimits, lengthSettings } from './lengths.ts';
import { cosine, lexRank, termVectors, type TermVector } from './lexrank.ts';
import { contentTerms, contentWords, normalizeText, plainText, splitSentences } from './text.ts';

/** Reported as the summary's `model`; bump it when the algorithm changes what it picks. */
export const extractiveModel = 'lexrank-1';

export interface ExtractiveOptions {
  /** A sentence at least this similar (cosine) to one already chosen adds nothing and is skipped. */
  redundancyThreshold?: number;
  /**
   * Age (behind the newest article) at which a sentence's prior weight halves: among equally
   * central sentences, fresher news wins. Infinity gives plain LexRank.
   */
  recencyHalfLifeHours?: number;
}

/** Feed boilerplate that is never news, whatever its centrality. */
const boilerplate = [/\bappeared first on\b/i, /^(continue|read) (reading|more)\b/i, /^click here\b/i, /^(photo|image) credit\b/i];
/** Sentences this short are picked only when nothing longer is left. */
const minWords = 4;
const scoreEpsilon = 1e-12;

interface Sentence {
  text: string;
  /** `normalizeText(text)`: identical keys are one sentence. */
  key: string;
  /** Ids of the articles the sentence appears in, newest first. */
  citations: string[];
  /** Rank of the newest article holding it (0 = newest). */
  recency: number;
  /** Publication time (ms) of that article. */
  publishedAt: number;
  /** 0 for the title, then 1, 2, … through the summary. */
  position: number;
  words: number;
}

/**
 * Summarises without a model: ranks the sentences of titles and summaries with LexRank (TF-IDF
 * cosine graph, the team's own name left out of the terms, the random jump slightly biased to
 * newer articles), then picks bullets in rank order, skipping any sentence more similar than
 * `redundancyThreshold` to one already picked: first the best sentence of each article, then the
 * rest, up to the length's bullet count. The lead is the top one or two bullets. Every bullet
 * cites the articles its sentence appears in. The same input always gives the same output; ties go
 * to the newer article, then the earlier sentence.
 *
 * The threshold defaults to 0.4, not the textbook 0.5: on real headlines a title and its own
 * first sentence, or two reports of the same game, score 0.44–0.72 while different stories stay
 * under 0.3.
 *
 * Throws `NoArticlesError` for an input without articles (or whose articles hold no text): an
 * empty summary is the caller's to state, not a provider's.
 *
 * @example
 * const { text, bullets } = summarizeExtractively({ team, length: 'SHORT', articles });
 */
export function summarizeExtractively(input: SummaryInput, options: ExtractiveOptions = {}): Pick<SummaryResult, 'text' | 'bullets'> {
  if (input.articles.length === 0) throw new NoArticlesError();
  const settings = lengthSettings[input.length];
  const threshold = options.redundancyThreshold ?? 0.4;

  const sentences = collectSentences(input);
  if (sentences.length === 0) throw new NoArticlesError();
  // The team's own name is in nearly every sentence: it says nothing about which story a sentence tells.
  const teamWords = new Set(contentWords(`${input.team.name} ${input.team.shortName}`));
  const vectors = termVectors(sentences.map((sentence) => contentTerms(sentence.key, teamWords)));
  const newest = Math.max(...input.articles.map((article) => article.publishedAt.getTime()));
  const halfLifeMs = (options.recencyHalfLifeHours ?? 48) * 3_600_000;
  const scores = lexRank(vectors, { prior: sentences.map((sentence) => 0.5 ** ((newest - sentence.publishedAt) / halfLifeMs)) });
  const ranked = sentences
    .map((sentence, index) => ({ sentence, index, score: scores[index] ?? 0 }))
    .sort((a, b) => {
      if (Math.abs(a.score - b.score) > scoreEpsilon) return b.score - a.score;
      return a.sentence.recency - b.sentence.recency || a.sentence.position - b.sentence.position || a.index - b.index;
    });

  // Best sentence per article first (breadth over the news), then the rest by rank; very short
  // sentences only when nothing longer is left.
  const chosen: { sentence: Sentence; vector: TermVector }[] = [];
  const pick = (onePerArticle: boolean, allowShort: boolean) => {
    for (const { sentence, index } of ranked) {
      if (chosen.length >= settings.bullets) return;
      if (!allowShort && sentence.words < minWords) continue;
      if (chosen.some((other) => other.sentence === sentence)) continue;
      if (onePerArticle && chosen.some((other) => other.sentence.citations.some((id) => sentence.citations.includes(id)))) continue;
      const vector = vectors[index];
      if (!vector) continue;
      if (chosen.some((other) => cosine(other.vector, vector) > threshold)) continue;
      chosen.push({ sentence, vector });
    }
  };
  pick(true, false);
  pick(false, false);
  pick(false, true);

  const bullets: SummaryBullet[] = chosen.map(({ sentence }) => ({
    text: truncate(sentence.text, answerLimits.bulletMaxChars),
    citations: sentence.citations,
  }));
  const lead = chosen
    .slice(0, settings.leadSentences)
    .map(({ sentence }) => withFullStop(sentence.text))
    .join(' ');
  return { text: truncate(lead, answerLimits.textMaxChars), bullets };
}

/**
 * The extractive provider behind the `Summarizer` interface: no network, no retries, one attempt.
 *
 * @example
 * const summary = await createExtractiveSummarizer().summarize(input);
 */
export function createExtractiveSummarizer(options: ExtractiveOptions = {}): Summarizer {
  return {
    summarize(input: SummaryInput, signal?: AbortSignal): Promise<SummaryResult> {
      try {
        signal?.throwIfAborted();
        const started = performance.now();
        const summary = summarizeExtractively(input, options);
        const durationMs = Math.round(performance.now() - started);
        return Promise.resolve({ ...summary, provider: 'extractive', model: extractiveModel, attempts: 1, durationMs });
      } catch (error: unknown) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/** Title and summary sentences of every article, one entry per distinct normalised sentence. */
function collectSentences(input: SummaryInput): Sentence[] {
  const byRecency = input.articles
    .map((article, index) => ({ article, index }))
    .sort((a, b) => b.article.publishedAt.getTime() - a.article.publishedAt.getTime() || a.index - b.index);
  const sentences: Sentence[] = [];
  const byKey = new Map<string, Sentence>();
  byRecency.forEach(({ article }, recency) => {
    const parts = [plainText(article.title), ...splitSentences(plainText(article.summary))];
    parts.forEach((text, position) => {
      const key = normalizeText(text);
      if (key === '' || boilerplate.some((pattern) => pattern.test(text))) return;
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.citations.includes(article.id)) existing.citations.push(article.id);
        return;
      }
      const sentence: Sentence = {
        text,
        key,
        citations: [article.id],
        recency,
        publishedAt: article.publishedAt.getTime(),
        position,
        words: key.split(' ').length,
      };
      byKey.set(key, sentence);
      sentences.push(sentence);
    });
  });
  return sentences;
}

function withFullStop(text: string): string {
  return /[.!?…]["'”’)\]]*$/u.test(text) ? text : `${text}.`;
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
