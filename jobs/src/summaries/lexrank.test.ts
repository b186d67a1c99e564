import { describe, expect, it } from 'vitest';
import { cosine, lexRank, termVectors } from './lexrank.ts';

describe('termVectors and cosine', () => {
  it('gives identical documents a similarity of 1 and unrelated ones 0', () => {
    const [a, b, c] = termVectors([
      ['celtic', 'win'],
      ['celtic', 'win'],
      ['draft', 'pick'],
    ]);
    expect(cosine(a!, b!)).toBeCloseTo(1, 12);
    expect(cosine(a!, c!)).toBe(0);
  });

  it('weights a rare shared term above a common one', () => {
    const vectors = termVectors([
      ['celtic', 'tatum'],
      ['celtic', 'tatum'],
      ['celtic', 'brown'],
      ['celtic', 'horford'],
    ]);
    const [first, second, third] = vectors;
    expect(cosine(first!, second!)).toBeGreaterThan(cosine(first!, third!));
  });
});

describe('lexRank', () => {
  it('ranks the sentence most similar to the others highest', () => {
    const vectors = termVectors([
      ['tatum', 'celtic'],
      ['celtic', 'win'],
      ['tatum', 'celtic', 'win'],
      ['tatum', 'win'],
      ['weather', 'rain'],
    ]);
    const scores = Array.from(lexRank(vectors));
    expect(scores.indexOf(Math.max(...scores))).toBe(2);
    expect(scores.indexOf(Math.min(...scores))).toBe(4);
  });

  it('returns scores that sum to 1', () => {
    const scores = lexRank(termVectors([['a1', 'b1'], ['b1', 'c1'], ['d1']]));
    expect(Array.from(scores).reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 9);
  });

  it('gives every sentence the same score when none are similar', () => {
    expect(Array.from(lexRank(termVectors([['a1'], ['b1'], ['c1']])))).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('handles no sentences', () => {
    expect(lexRank([])).toHaveLength(0);
  });
});
