import { describe, expect, it } from 'vitest';
import type { SummaryArticle } from './interface.ts';
import { inputVersion, selectArticles } from './select.ts';

function article(
  id: string,
  minutesAgo: number,
  title = `Story ${id} about the Celtics`,
  summary = `Details of story ${id}.`,
): SummaryArticle {
  return { id, title, summary, publishedAt: new Date(Date.UTC(2025, 0, 10) - minutesAgo * 60_000), sourceName: 'Globe' };
}

const ids = (articles: readonly SummaryArticle[]) => articles.map((item) => item.id);

describe('selectArticles', () => {
  it('keeps the newest articles first, whatever order they arrive in', () => {
    expect(ids(selectArticles([article('old', 30), article('new', 1), article('mid', 10)], 'LONG'))).toEqual(['new', 'mid', 'old']);
  });

  it('takes at most 8, 12 and 20 articles for SHORT, MEDIUM and LONG', () => {
    const many = Array.from({ length: 30 }, (_, index) => article(`a${String(index)}`, index));
    expect(selectArticles(many, 'SHORT')).toHaveLength(8);
    expect(selectArticles(many, 'MEDIUM')).toHaveLength(12);
    expect(selectArticles(many, 'LONG')).toHaveLength(20);
    expect(ids(selectArticles(many, 'SHORT'))).toEqual(ids(many.slice(0, 8)));
  });

  it('drops an older article whose title normalises to one already chosen', () => {
    const chosen = selectArticles([article('first', 1, 'Celtics beat Nets!'), article('copy', 5, '  celtics BEAT nets ')], 'LONG');
    expect(ids(chosen)).toEqual(['first']);
  });

  it('drops an older article whose summary is nearly identical to one already chosen', () => {
    const text = 'Jayson Tatum scored 40 points as the Celtics beat the Nets in Brooklyn on Sunday night';
    const chosen = selectArticles(
      [article('wire', 1, 'Tatum scores 40', text), article('syndicated', 3, 'Big night for Tatum', `${text}.`)],
      'LONG',
    );
    expect(ids(chosen)).toEqual(['wire']);
  });

  it('keeps articles whose short summaries merely match', () => {
    expect(ids(selectArticles([article('a', 1, 'Game one', 'Recap.'), article('b', 2, 'Game two', 'Recap.')], 'LONG'))).toEqual(['a', 'b']);
  });

  it('stops before the token budget is exceeded', () => {
    const long = 'word '.repeat(200).trim();
    const many = Array.from({ length: 10 }, (_, index) =>
      article(`a${String(index)}`, index, `Title ${String(index)}`, `${long} ${String(index)}`),
    );
    const chosen = selectArticles(many, 'LONG', { tokenBudget: 1_000 });
    const chars = chosen.reduce((sum, item) => sum + item.title.length + item.summary.length + item.sourceName.length + 80, 0);
    expect(chosen.length).toBeGreaterThan(0);
    expect(chosen.length).toBeLessThan(10);
    expect(chars).toBeLessThanOrEqual(4_000);
    expect(ids(chosen)).toEqual(ids(many.slice(0, chosen.length)));
  });

  it('always keeps the newest article, cutting its summary to fit the budget', () => {
    const [chosen] = selectArticles([article('huge', 1, 'Huge', 'word '.repeat(5_000))], 'SHORT', { tokenBudget: 100 });
    expect(chosen?.id).toBe('huge');
    expect(chosen?.summary.length).toBeLessThanOrEqual(400);
    expect(chosen?.summary.endsWith('…')).toBe(true);
  });

  it('passes titles and summaries on as plain text', () => {
    const [chosen] = selectArticles([article('html', 1, 'Celtics &amp; Nets', '<p>Tatum <b>scored</b> 40.</p>')], 'SHORT');
    expect(chosen).toMatchObject({ title: 'Celtics & Nets', summary: 'Tatum scored 40.' });
  });

  it('returns nothing for no articles', () => {
    expect(selectArticles([], 'MEDIUM')).toEqual([]);
  });
});

describe('inputVersion', () => {
  it('is 32 hex characters', () => {
    expect(inputVersion(['a', 'b'])).toMatch(/^[0-9a-f]{32}$/);
  });

  it('depends on the set of ids, not their order or repetition', () => {
    expect(inputVersion(['b', 'a', 'c'])).toBe(inputVersion(['c', 'a', 'b', 'a']));
  });

  it('changes when an article is added or replaced', () => {
    expect(inputVersion(['a', 'b'])).not.toBe(inputVersion(['a', 'b', 'c']));
    expect(inputVersion(['a', 'b'])).not.toBe(inputVersion(['a', 'c']));
  });

  it('cannot be forged by ids that contain the separator', () => {
    expect(inputVersion(['a\nb'])).not.toBe(inputVersion(['a', 'b']));
  });
});
