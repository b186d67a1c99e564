import { describe, expect, it } from 'vitest';
import { heldOutStoryPairs, storyPairs, type StoryPair } from './fixtures.ts';
import { mayReach, sameStory, storySignature, storySimilarity, type StoryText } from './similarity.ts';

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

/** A deterministic stream of numbers in [0, 1). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Articles over a news-like vocabulary (common words drawn far more often, team names, scores),
 * and rewrites of them that keep a share of their words: pairs on both sides of every threshold.
 */
function generatedTexts(count: number): StoryText[] {
  const next = generator(20261207);
  const syllables = 'ba ko ri te mu sa le po ni da'.split(' ');
  const vocabulary = [
    ...'season game night coach roster trade deadline injury rookie guard forward center defense rebound assist quarter'.split(' '),
    ...syllables.flatMap((first) => syllables.flatMap((second) => syllables.map((third) => `${first}${second}${third}`))),
  ];
  const names = ['Celtics', 'Knicks', 'Lakers', 'Tatum', 'Brown', 'Heat', 'Butler'];
  const word = () => vocabulary[Math.floor(next() ** 2 * vocabulary.length)] ?? 'game';
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const text = (length: number) => Array.from({ length }, () => (next() < 0.1 ? pick(names) : word())).join(' ');
  const score = () => `${String(80 + Math.floor(next() * 50))}-${String(80 + Math.floor(next() * 50))}`;
  const texts: StoryText[] = [];
  while (texts.length < count) {
    const original: StoryText = {
      title: `${pick(names)} ${text(3 + Math.floor(next() * 8))}${next() < 0.3 ? ` ${score()}` : ''}`,
      summary: next() < 0.15 ? '' : text(Math.floor(next() * 60)),
    };
    texts.push(original);
    const keep = next();
    const rewrite = (value: string) =>
      value
        .split(' ')
        .map((token) => (next() < keep ? token : word()))
        .join(' ');
    texts.push({ title: rewrite(original.title), summary: rewrite(original.summary) });
  }
  return texts;
}

describe('the quick pre-check of the story matcher', () => {
  it('never rules out a pair whose similarity reaches the threshold, and rules out most others', () => {
    const signatures = [...generatedTexts(600), ...storyPairs.flatMap((pair) => [pair.a, pair.b])].map(storySignature);
    for (const threshold of [0.3, 0.5, 0.6, 0.8]) {
      let reaching = 0;
      let ruledOut = 0;
      let below = 0;
      const missed: string[] = [];
      for (let i = 0; i < signatures.length; i++) {
        for (let j = i + 1; j < signatures.length; j++) {
          const [a, b] = [signatures[i], signatures[j]] as [ReturnType<typeof storySignature>, ReturnType<typeof storySignature>];
          const score = storySimilarity(a, b);
          const kept = mayReach(a, b, threshold);
          if (score >= threshold) {
            reaching++;
            if (!kept) missed.push(`${String(i)}/${String(j)} ${score.toFixed(3)}`);
          } else {
            below++;
            if (!kept) ruledOut++;
          }
        }
      }
      expect(missed, `threshold ${String(threshold)}`).toEqual([]);
      expect(reaching, `pairs reaching ${String(threshold)}`).toBeGreaterThan(50);
      expect(ruledOut / below, `share ruled out at ${String(threshold)}`).toBeGreaterThan(0.5);
    }
  });
});
