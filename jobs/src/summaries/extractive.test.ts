import { describe, expect, it } from 'vitest';
import { NoArticlesError } from './errors.ts';
import { createExtractiveSummarizer, extractiveModel, summarizeExtractively } from './extractive.ts';
import type { SummaryArticle, SummaryInput } from './interface.ts';

const team = { id: 'nba-bos', name: 'Boston Celtics', shortName: 'Celtics', league: 'NBA' } as const;

function article(id: string, hoursAgo: number, title: string, summary: string): SummaryArticle {
  return { id, title, summary, publishedAt: new Date(Date.UTC(2025, 2, 1, 12) - hoursAgo * 3_600_000), sourceName: 'Globe' };
}

const news: SummaryArticle[] = [
  article(
    'injury',
    1,
    'Porzingis out two weeks with ankle sprain',
    'Kristaps Porzingis will miss two weeks with a sprained left ankle, coach Joe Mazzulla said. Porzingis was hurt in the third quarter against the Nets. The Celtics will start Al Horford at center.',
  ),
  article(
    'game',
    3,
    'Tatum scores 40 as Celtics beat Nets',
    'Jayson Tatum scored 40 points and the Celtics beat the Nets 112-108 in Brooklyn. Jaylen Brown added 25 points for the Celtics. The Celtics have won five straight games.',
  ),
  article(
    'recap',
    4,
    'Celtics hold off Nets behind Tatum',
    'Tatum scored 40 points as Boston held off a late Nets run. Derrick White hit three late free throws.',
  ),
  article(
    'trade',
    20,
    'Celtics explore trade for backup center',
    'The Celtics are exploring a trade for a backup center before the deadline, according to league sources. Boston has a roster spot open.',
  ),
  article(
    'tickets',
    30,
    'Playoff ticket sales open Friday',
    'Playoff ticket sales for Celtics home games open Friday at 10 a.m. The post Playoff ticket sales open Friday appeared first on Celtics Wire.',
  ),
  article(
    'draft',
    50,
    'Celtics scout guards ahead of draft',
    'Boston scouts watched several guards at the combine. The Celtics hold the 28th pick.',
  ),
];

const input = (length: SummaryInput['length'], articles: readonly SummaryArticle[] = news): SummaryInput => ({ team, length, articles });

describe('summarizeExtractively', () => {
  it('gives the identical summary for the identical input', () => {
    expect(summarizeExtractively(input('LONG'))).toEqual(summarizeExtractively(input('LONG')));
  });

  it('does not depend on the order the articles arrive in', () => {
    expect(summarizeExtractively(input('MEDIUM', [...news].reverse()))).toEqual(summarizeExtractively(input('MEDIUM')));
  });

  it('writes 3, 5 and 8 bullets for SHORT, MEDIUM and LONG when the news allows', () => {
    const many = Array.from({ length: 8 }, (_, index) =>
      article(
        `n${String(index)}`,
        index,
        `Headline number ${String(index)} on topic ${String(index)}`,
        `Story ${String(index)} concerns subject${String(index)} and matter${String(index)} only.`,
      ),
    );
    expect(summarizeExtractively(input('SHORT', many)).bullets).toHaveLength(3);
    expect(summarizeExtractively(input('MEDIUM', many)).bullets).toHaveLength(5);
    expect(summarizeExtractively(input('LONG', many)).bullets).toHaveLength(8);
  });

  it('leads with one sentence for SHORT and two for longer summaries, taken from the top bullets', () => {
    const short = summarizeExtractively(input('SHORT'));
    const medium = summarizeExtractively(input('MEDIUM'));
    expect(short.text.replace(/\.$/, '')).toBe(short.bullets[0]?.text.replace(/\.$/, ''));
    expect(medium.text.startsWith(medium.bullets[0]?.text.replace(/\.$/, '') ?? '?')).toBe(true);
    expect(medium.text).toContain(medium.bullets[1]?.text.replace(/\.$/, '') ?? '?');
  });

  it('cites, for every bullet, exactly the articles its sentence comes from', () => {
    const { bullets } = summarizeExtractively(input('LONG'));
    for (const bullet of bullets) {
      const sources = news.filter((item) => `${item.title} ${item.summary}`.includes(bullet.text)).map((item) => item.id);
      expect(bullet.citations.length).toBeGreaterThan(0);
      expect([...bullet.citations].sort()).toEqual(sources.sort());
    }
  });

  it('cites every article that carries the same sentence, newest first', () => {
    const wire = 'The Celtics signed guard Sam Hauser to a four-year extension on Monday.';
    const { bullets } = summarizeExtractively(
      input('SHORT', [article('older', 5, 'Hauser extended', wire), article('newer', 2, 'Hauser signs extension', wire)]),
    );
    expect(bullets.find((bullet) => bullet.text === wire)?.citations).toEqual(['newer', 'older']);
  });

  it('leaves out a sentence that repeats one already chosen', () => {
    const { bullets } = summarizeExtractively(input('LONG'));
    const aboutTatum40 = bullets.filter((bullet) => /Tatum scored 40 points/.test(bullet.text));
    expect(aboutTatum40).toHaveLength(1);
  });

  it('never picks feed boilerplate', () => {
    const { bullets } = summarizeExtractively(input('LONG'));
    expect(bullets.some((bullet) => bullet.text.includes('appeared first on'))).toBe(false);
  });

  it('puts the newer of two equally central stories first', () => {
    const older = article('older', 30, 'Horford signs extension', 'Al Horford signed a one-year extension.');
    const newer = article('newer', 2, 'White wins award', 'Derrick White won the community award.');
    expect(summarizeExtractively(input('SHORT', [older, newer])).bullets[0]?.citations).toEqual(['newer']);
    expect(summarizeExtractively(input('SHORT', [newer, older])).bullets[0]?.citations).toEqual(['newer']);
  });

  it('summarises a single article', () => {
    const only = article('solo', 1, 'Celtics clinch top seed', 'Boston clinched the top seed in the East with a win over Miami.');
    const summary = summarizeExtractively(input('LONG', [only]));
    expect(summary.bullets.length).toBeGreaterThan(0);
    expect(summary.bullets.every((bullet) => bullet.citations.length === 1 && bullet.citations[0] === 'solo')).toBe(true);
    expect(summary.text.length).toBeGreaterThan(0);
  });

  it('refuses an input without articles', () => {
    expect(() => summarizeExtractively(input('SHORT', []))).toThrow(NoArticlesError);
  });

  it('keeps text and bullets within the answer limits', () => {
    const wall = article('wall', 1, 'Long read', `${'A very long sentence about the Celtics season '.repeat(60)}.`);
    const summary = summarizeExtractively(input('SHORT', [wall]));
    expect(summary.text.length).toBeLessThanOrEqual(1_200);
    expect(summary.bullets.every((bullet) => bullet.text.length <= 500)).toBe(true);
  });
});

describe('createExtractiveSummarizer', () => {
  it('reports the extractive provider, its model and a single attempt', async () => {
    const result = await createExtractiveSummarizer().summarize(input('SHORT'));
    expect(result).toMatchObject({ provider: 'extractive', model: extractiveModel, attempts: 1 });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.usage).toBeUndefined();
  });

  it('rejects when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(createExtractiveSummarizer().summarize(input('SHORT'), controller.signal)).rejects.toThrow('shutting down');
  });
});
