import type { StoryCandidate, StoryEntry, StoryMatcher } from '@pressbox/db';
import { STORY_THRESHOLD, storySignature, storySimilarity, type StorySignature, type StoryText } from './similarity.ts';

/** How far apart in time two tellings of one story are looked for: syndicated copies follow within hours. */
export const STORY_WINDOW_MS = 36 * 3_600_000;

/** Signatures kept between feeds: the candidates of one feed are mostly those of the previous ones. */
const CACHED_SIGNATURES = 20_000;

export interface StoryMatcherOptions {
  windowMs?: number;
  threshold?: number;
}

/**
 * The story matcher storing uses: the most similar candidate at or above the threshold (the
 * earliest published among equals), by `storySimilarity`. Signatures are cached by article id
 * and text fingerprint (an entry's too, when it says where it is stored), so an article is
 * reduced once however many feeds compare against it.
 *
 * @example
 * await storeFeedItems(prisma, source, items, { teams, stories: storyMatcher() });
 */
export function storyMatcher(options: StoryMatcherOptions = {}): StoryMatcher {
  const threshold = options.threshold ?? STORY_THRESHOLD;
  const cache = new Map<string, StorySignature>();
  // One feed's entries are compared with the same candidate objects: those are looked up by identity.
  const byCandidate = new WeakMap<StoryCandidate, StorySignature>();
  const cached = (text: StoryText, stored: { id: string; fingerprint: string }): StorySignature => {
    const key = `${stored.id}:${stored.fingerprint}`;
    let signature = cache.get(key);
    if (signature === undefined) {
      signature = storySignature(text);
      if (cache.size >= CACHED_SIGNATURES) cache.delete(cache.keys().next().value ?? key);
      cache.set(key, signature);
    }
    return signature;
  };
  const signatureOf = (candidate: StoryCandidate): StorySignature => {
    let signature = byCandidate.get(candidate);
    if (signature === undefined) byCandidate.set(candidate, (signature = cached(candidate, candidate)));
    return signature;
  };
  return {
    windowMs: options.windowMs ?? STORY_WINDOW_MS,
    match(entry: StoryEntry, candidates: readonly StoryCandidate[]): StoryCandidate | undefined {
      if (candidates.length === 0) return undefined;
      const signature = entry.stored === undefined ? storySignature(entry) : cached(entry, entry.stored);
      let best: { candidate: StoryCandidate; score: number } | undefined;
      for (const candidate of candidates) {
        const score = storySimilarity(signature, signatureOf(candidate));
        if (score < threshold) continue;
        const better =
          best === undefined ||
          score > best.score ||
          (score === best.score && candidate.publishedAt.getTime() < best.candidate.publishedAt.getTime());
        if (better) best = { candidate, score };
      }
      return best?.candidate;
    },
  };
}
