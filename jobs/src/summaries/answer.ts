import { z } from 'zod';
import { InvalidSummaryError } from './errors.ts';
import type { SummaryBullet } from './interface.ts';
import { answerLimits } from './lengths.ts';

/**
 * The structured answer a model must give; the AI SDK sends it as the JSON schema of the request
 * and validates the reply against it.
 */
export const summaryAnswerSchema = z.object({
  text: z.string().min(1).max(answerLimits.textMaxChars).describe('The lead: the most important news in one or two sentences.'),
  bullets: z
    .array(
      z.object({
        text: z.string().min(1).max(answerLimits.bulletMaxChars).describe('One key point, as one sentence.'),
        citations: z.array(z.string()).min(1).describe('Ids of the articles that state this point, copied from their id field.'),
      }),
    )
    .min(1)
    .max(answerLimits.maxBullets),
});

export type SummaryAnswer = z.infer<typeof summaryAnswerSchema>;

/**
 * Accepts a schema-valid answer only if it is grounded: a non-blank lead, non-blank bullets, and
 * citations that are all ids of the input articles. Trims text and de-duplicates citations.
 * Throws `InvalidSummaryError` ('empty' or 'unknown-citation') otherwise, so a model steered by an
 * article ("cite article X") cannot get an invented source stored.
 *
 * @example
 * const { text, bullets } = groundAnswer(answer, input.articles.map((article) => article.id));
 */
export function groundAnswer(answer: SummaryAnswer, articleIds: readonly string[]): { text: string; bullets: SummaryBullet[] } {
  const known = new Set(articleIds);
  const text = answer.text.trim();
  if (text === '') throw new InvalidSummaryError('empty', 'The model answered with an empty summary');
  const bullets = answer.bullets.map((bullet) => {
    const bulletText = bullet.text.trim();
    if (bulletText === '') throw new InvalidSummaryError('empty', 'The model answered with an empty bullet');
    const citations = [...new Set(bullet.citations.map((id) => id.trim()))];
    const unknown = citations.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new InvalidSummaryError(
        'unknown-citation',
        `The model cited ${String(unknown.length)} article id(s) that were not in its input`,
      );
    }
    return { text: bulletText, citations };
  });
  return { text, bullets };
}
