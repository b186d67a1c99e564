import type { SummaryLength } from '@pressbox/db';

/** How much each summary length reads and writes; providers and input selection share it. */
export interface LengthSettings {
  /** Bullets the summary aims for (fewer when the news does not support that many). */
  bullets: number;
  /** Sentences in the lead paragraph. */
  leadSentences: number;
  /** Most articles a summary is grounded on. */
  maxArticles: number;
  /** Approximate prompt tokens (characters / 4) the articles may take. */
  tokenBudget: number;
}

export const lengthSettings: Readonly<Record<SummaryLength, LengthSettings>> = {
  SHORT: { bullets: 3, leadSentences: 1, maxArticles: 8, tokenBudget: 1_500 },
  MEDIUM: { bullets: 5, leadSentences: 2, maxArticles: 12, tokenBudget: 2_500 },
  LONG: { bullets: 8, leadSentences: 2, maxArticles: 20, tokenBudget: 4_000 },
};

/** Upper bounds of the structured answer, shared by the schema, the prompt and the extractive provider. */
export const answerLimits = { textMaxChars: 1_200, maxBullets: 10, bulletMaxChars: 500 } as const;
