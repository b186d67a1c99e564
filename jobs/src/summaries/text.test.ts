import { describe, expect, it } from 'vitest';
import { contentWords, normalizeText, plainText, splitSentences } from './text.ts';

describe('normalizeText', () => {
  it('ignores case, accents, punctuation and spacing', () => {
    expect(normalizeText('  Mbappé   SCORES — again!! ')).toBe(normalizeText('mbappe scores again'));
  });
});

describe('splitSentences', () => {
  it('splits prose at sentence ends', () => {
    expect(splitSentences('Tatum scored 40. Brown added 25! Was it enough? Yes.')).toEqual([
      'Tatum scored 40.',
      'Brown added 25!',
      'Was it enough?',
      'Yes.',
    ]);
  });

  it('keeps abbreviations and initials inside their sentence', () => {
    expect(splitSentences('The Celtics beat the Nets vs. Brooklyn fans. J. Tatum led the way with Dr. J watching.')).toEqual([
      'The Celtics beat the Nets vs. Brooklyn fans.',
      'J. Tatum led the way with Dr. J watching.',
    ]);
  });

  it('returns the whole text as one sentence when it has no sentence end', () => {
    expect(splitSentences('  Celtics   beat Nets\n behind Tatum ')).toEqual(['Celtics beat Nets behind Tatum']);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences(' \n\t ')).toEqual([]);
  });
});

describe('contentWords', () => {
  it('drops stopwords and one-letter tokens', () => {
    expect(contentWords('The Celtics won a game at the Garden')).toEqual(['celtic', 'won', 'gam', 'garden']);
  });

  it('gives inflections of a word the same term', () => {
    expect(new Set(contentWords('score scores scored scoring'))).toEqual(new Set(['scor']));
    expect(contentWords('injuries')).toEqual(contentWords('injury'));
  });

  it('leaves out words whose stem it is told to ignore', () => {
    expect(contentWords('Boston Celtics beat the Nets', new Set(contentWords('Boston Celtics')))).toEqual(['beat', 'net']);
  });
});

describe('plainText', () => {
  it('turns sanitized HTML into plain text', () => {
    expect(plainText('<p>Tatum &amp; Brown<br/>combine for&nbsp;70</p>\n<p>Celtics &lt;3</p>')).toBe(
      'Tatum & Brown combine for 70 Celtics <3',
    );
  });
});
