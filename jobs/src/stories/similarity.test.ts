import { describe, expect, it } from 'vitest';
import { heldOutStoryPairs, storyPairs, type StoryPair } from './fixtures.ts';
import { sameStory, storySignature, storySimilarity } from './similarity.ts';

function judged() {
  return storyPairs.map((pair) => {
    const score = storySimilarity(storySignature(pair.a), storySignature(pair.b));
    return { ...pair, score, grouped: sameStory(storySignature(pair.a), storySignature(pair.b)) };
  });
}

/** Precision and recall of the rule on a set of pairs. */
function measure(pairs: readonly StoryPair[]) {
  const grouped = pairs.map((pair) => ({ pair, grouped: sameStory(storySignature(pair.a), storySignature(pair.b)) }));
  const truePositives = grouped.filter(({ pair, grouped: g }) => pair.same && g).length;
  const predicted = grouped.filter(({ grouped: g }) => g).length;
  const actual = pairs.filter((pair) => pair.same).length;
  return { precision: predicted === 0 ? 1 : truePositives / predicted, recall: actual === 0 ? 1 : truePositives / actual };
}

describe('story grouping on the fixture pairs', () => {
  it('keeps precision and recall of 0.8 or more on pairs never used to set its thresholds', () => {
    const heldOut = measure(heldOutStoryPairs);
    console.info(`story grouping, held-out pairs: precision ${heldOut.precision.toFixed(2)}, recall ${heldOut.recall.toFixed(2)}`);
    expect(heldOut.precision).toBeGreaterThanOrEqual(0.8);
    expect(heldOut.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('groups at least 90 % of the pairs that are one story (recall)', () => {
    const positives = judged().filter((pair) => pair.same);
    const found = positives.filter((pair) => pair.grouped);
    expect(positives.length).toBeGreaterThanOrEqual(15);
    expect({
      recall: found.length / positives.length,
      missed: positives.filter((pair) => !pair.grouped).map((pair) => pair.why),
    }).toMatchObject({
      recall: expect.toSatisfy((recall: number) => recall >= 0.9) as unknown,
    });
  });

  it('groups no pair that is two stories (precision 1 on the fixtures)', () => {
    const wrong = judged().filter((pair) => !pair.same && pair.grouped);
    expect(wrong.map((pair) => `${pair.why} (${pair.score.toFixed(2)})`)).toEqual([]);
  });

  it('is symmetric and gives an article 1 against itself', () => {
    for (const pair of storyPairs) {
      const [a, b] = [storySignature(pair.a), storySignature(pair.b)];
      expect(storySimilarity(a, b)).toBeCloseTo(storySimilarity(b, a), 10);
      expect(storySimilarity(a, a)).toBe(1);
    }
  });

  it('tells two results of the same teams apart by their scores', () => {
    const first = storySignature({ title: 'Celtics beat Knicks 112-104', summary: '' });
    const second = storySignature({ title: 'Celtics beat Knicks 98-95', summary: '' });
    expect(sameStory(first, second)).toBe(false);
  });

  it('does not group short headlines that share fewer than three words', () => {
    const pairs = [
      ['Story both-2', 'Story lal-1'],
      ['Lakers trade', 'Lakers win'],
      ['Injury report', 'Injury update: Tatum'],
    ] as const;
    for (const [a, b] of pairs)
      expect(sameStory(storySignature({ title: a, summary: '' }), storySignature({ title: b, summary: '' })), `${a} / ${b}`).toBe(false);
  });

  it('still groups two short headlines that state the same result of the same teams', () => {
    const first = storySignature({ title: 'Celtics 112-104 Knicks', summary: '' });
    const second = storySignature({ title: 'Knicks fall to Celtics, 112-104', summary: '' });
    expect(sameStory(first, second)).toBe(true);
  });
});
