import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import type { SqlTarget } from './sql-target.ts';
import {
  startStories,
  storyCandidateHeads,
  storyTexts,
  type StoryCandidate,
  type StoryEntry,
  type StoryMatcher,
  type StoryWindow,
} from './stories.ts';

/** A new article being stored: the matcher reads its text; `row.storyId` receives its story. */
export interface StoryPlacement {
  row: { id: string; publishedAt: Date; storyId: string | null };
  entry: StoryEntry;
  teamIds: readonly string[];
}

/**
 * Longest stretch of matching between two turns of the event loop: a feed of a busy team can
 * have thousands of candidates, and the process meanwhile serves requests and other jobs. The
 * matcher keeps what it remembers for the candidates it was asked about (see `remembers`), so
 * what concurrent stores do in between changes nothing here.
 */
const MATCHING_SLICE_MS = 10;

/**
 * New articles take the story of the stored article of another source that tells the same story
 * (the matcher decides among the articles sharing a team within its window); an article matched
 * while alone starts that story under its own id. Candidates are read without their text first;
 * the text is read only for those the matcher does not remember. Every candidate is near one of
 * the new articles (it was found in a window around one of them, for one of its teams).
 */
export async function assignStories(
  tx: SqlTarget,
  sourceId: string,
  stories: StoryMatcher,
  placements: readonly StoryPlacement[],
): Promise<void> {
  const { windowMs } = stories;
  const heads = await storyCandidateHeads(tx, sourceId, mergedWindows(placements, windowMs));
  if (heads.length === 0) return;
  const candidates = await withTexts(
    tx,
    stories,
    heads.map((head) => ({ ...head, title: '', summary: '' })),
  );
  const near = nearbyCandidates(candidates, windowMs);
  const starting = new Set<string>();
  let since = performance.now();
  for (const { entry, row, teamIds } of placements) {
    if (performance.now() - since >= MATCHING_SLICE_MS) {
      await nextLoopTurn();
      since = performance.now();
    }
    const match = stories.match(entry, near(teamIds, row.publishedAt.getTime()));
    if (match === undefined) continue;
    row.storyId = match.storyId ?? match.id;
    if (match.storyId === null) starting.add(match.id);
  }
  await startStories(tx, [...starting]);
}

/**
 * The candidates the matcher can compare with: those it remembers, and the others with their text
 * read into them; those whose article was deleted meanwhile (they have no text) are left out.
 */
async function withTexts(tx: SqlTarget, stories: StoryMatcher, candidates: StoryCandidate[]): Promise<StoryCandidate[]> {
  const unknown = candidates.filter((candidate) => !(stories.remembers?.(candidate) ?? false));
  const texts = await storyTexts(
    tx,
    unknown.map((candidate) => candidate.id),
  );
  const gone = new Set<StoryCandidate>();
  for (const candidate of unknown) {
    const text = texts.get(candidate.id);
    if (text === undefined) gone.add(candidate);
    else Object.assign(candidate, text);
  }
  return gone.size === 0 ? candidates : candidates.filter((candidate) => !gone.has(candidate));
}

/** Per team, the time ranges within `windowMs` of its new articles, overlapping ranges merged: one index range scan each. */
function mergedWindows(placements: readonly StoryPlacement[], windowMs: number): StoryWindow[] {
  const times = new Map<string, number[]>();
  for (const { row, teamIds } of placements) {
    for (const teamId of teamIds) {
      const instants = times.get(teamId) ?? [];
      instants.push(row.publishedAt.getTime());
      times.set(teamId, instants);
    }
  }
  const windows: StoryWindow[] = [];
  for (const [teamId, instants] of times) {
    let current: { from: number; to: number } | undefined;
    for (const instant of instants.sort((a, b) => a - b)) {
      if (current !== undefined && instant - windowMs <= current.to) current.to = instant + windowMs;
      else {
        if (current !== undefined) windows.push({ teamId, from: new Date(current.from), to: new Date(current.to) });
        current = { from: instant - windowMs, to: instant + windowMs };
      }
    }
    if (current !== undefined) windows.push({ teamId, from: new Date(current.from), to: new Date(current.to) });
  }
  return windows;
}

/**
 * The candidates sharing one of an article's teams and published within `windowMs` of it, in the
 * order they were found: the candidates are indexed per team in publication order, so each lookup
 * is a binary search per team rather than a pass over every candidate of the feed. The
 * candidates come oldest first, so one team's are already in that order.
 */
function nearbyCandidates(
  candidates: readonly StoryCandidate[],
  windowMs: number,
): (teamIds: readonly string[], at: number) => StoryCandidate[] {
  const byTeam = new Map<string, { at: number[]; members: StoryCandidate[]; index: number[] }>();
  candidates.forEach((candidate, index) => {
    const at = candidate.publishedAt.getTime();
    for (const teamId of candidate.teamIds) {
      let list = byTeam.get(teamId);
      if (list === undefined) byTeam.set(teamId, (list = { at: [], members: [], index: [] }));
      list.at.push(at);
      list.members.push(candidate);
      list.index.push(index);
    }
  });
  return (teamIds, at) => {
    const lists = teamIds.flatMap((teamId) => byTeam.get(teamId) ?? []);
    const ranges = lists.map((list) => [firstAtOrAfter(list.at, at - windowMs), firstAtOrAfter(list.at, at + windowMs + 1)] as const);
    const [only] = lists;
    if (lists.length === 1 && only !== undefined) return only.members.slice(...(ranges[0] ?? [0, 0]));
    const found = new Map<number, StoryCandidate>();
    lists.forEach((list, position) => {
      const [from, to] = ranges[position] ?? [0, 0];
      for (let hit = from; hit < to; hit++) {
        const [index, candidate] = [list.index[hit], list.members[hit]];
        if (index !== undefined && candidate !== undefined) found.set(index, candidate);
      }
    });
    return [...found].sort(([a], [b]) => a - b).map(([, candidate]) => candidate);
  };
}

/** The position of the first instant at or after `at` in an ascending list. */
function firstAtOrAfter(list: readonly number[], at: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] ?? Infinity) < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
