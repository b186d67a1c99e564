import type { StoryCandidate, StoryEntry, StoryMatcher } from '@pressbox/db';
import { mayReach, STORY_THRESHOLD, storySignature, storySimilarity, type StorySignature, type StoryText } from './similarity.ts';

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
 * earliest published among equals), by `storySimilarity`, after `mayReach` has ruled out the
 * candidates that cannot reach it. Signatures are cached by article id and text fingerprint (an
 * entry's too, when it says where it is stored), so an article is reduced once however many
 * feeds compare against it.
 *
 * @example
 * await storeFeedItems(prisma, source, items, { teams, stories: storyMatcher() });
 */
export function storyMatcher(options: StoryMatcherOptions = {}): StoryMatcher {
  const threshold = options.threshold ?? STORY_THRESHOLD;
  // By article id, with the fingerprint of the text it was computed from. Keyed by the id alone, a
  // lookup hashes a short string that repeats across feeds instead of building a new key each time.
  const cache = new Map<string, { fingerprint: string; signature: StorySignature }>();
  const cached = (text: StoryText, stored: { id: string; fingerprint: string }): StorySignature => {
    const hit = cache.get(stored.id);
    if (hit !== undefined && hit.fingerprint === stored.fingerprint) return hit.signature;
    const signature = storySignature(text);
    if (hit === undefined && cache.size >= CACHED_SIGNATURES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(stored.id, { fingerprint: stored.fingerprint, signature });
    return signature;
  };
  // Signatures handed out by `remembers`, held for as long as their candidate lives: a cache
  // eviction meanwhile must not leave a candidate without its text and without its signature.
  const pinned = new WeakMap<StoryCandidate, StorySignature>();
  return {
    windowMs: options.windowMs ?? STORY_WINDOW_MS,
    remembers(candidate: StoryCandidate): boolean {
      const hit = cache.get(candidate.id);
      if (hit === undefined || hit.fingerprint !== candidate.fingerprint) return false;
      pinned.set(candidate, hit.signature);
      return true;
    },
    match(entry: StoryEntry, candidates: readonly StoryCandidate[]): StoryCandidate | undefined {
      if (candidates.length === 0) return undefined;
      const signature = entry.stored === undefined ? storySignature(entry) : cached(entry, entry.stored);
      let best: { candidate: StoryCandidate; score: number } | undefined;
      for (const candidate of candidates) {
        const other = pinned.get(candidate) ?? cached(candidate, candidate);
        if (!mayReach(signature, other, threshold)) continue;
        const score = storySimilarity(signature, other);
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
