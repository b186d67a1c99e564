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
 * New articles take the story of the stored article of another source that tells the same story
 * (the matcher decides among the articles sharing a team within its window); an article matched
 * while alone starts that story under its own id. Candidates are read without their text first;
 * the text is read only for those near a new article that the matcher does not remember.
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
  const candidates: StoryCandidate[] = heads.map((head) => ({ ...head, title: '', summary: '' }));
  const near = nearbyCandidates(candidates, windowMs);
  const nearLists = placements.map(({ row, teamIds }) => near(teamIds, row.publishedAt.getTime()));
  const readable = await withTexts(tx, stories, nearLists);
  const starting = new Set<string>();
  for (const [index, { entry, row }] of placements.entries()) {
    const match = stories.match(entry, (nearLists[index] ?? []).filter(readable));
    if (match === undefined) continue;
    row.storyId = match.storyId ?? match.id;
    if (match.storyId === null) starting.add(match.id);
  }
  await startStories(tx, [...starting]);
}

/**
 * Reads the text of the near candidates the matcher does not remember, into the candidates; the
 * predicate it returns drops those whose article was deleted meanwhile (they have no text).
 */
async function withTexts(
  tx: SqlTarget,
  stories: StoryMatcher,
  nearLists: readonly (readonly StoryCandidate[])[],
): Promise<(candidate: StoryCandidate) => boolean> {
  const checked = new Set<StoryCandidate>();
  const unknown: StoryCandidate[] = [];
  for (const list of nearLists) {
    for (const candidate of list) {
      if (checked.has(candidate)) continue;
      checked.add(candidate);
      if (!(stories.remembers?.(candidate) ?? false)) unknown.push(candidate);
    }
  }
  const texts = await storyTexts(
    tx,
    unknown.map((candidate) => candidate.id),
  );
  const vanished = new Set<StoryCandidate>();
  for (const candidate of unknown) {
    const text = texts.get(candidate.id);
    if (text === undefined) vanished.add(candidate);
    else Object.assign(candidate, text);
  }
  return (candidate) => !vanished.has(candidate);
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
 * is a binary search per team rather than a pass over every candidate of the feed.
 */
function nearbyCandidates(
  candidates: readonly StoryCandidate[],
  windowMs: number,
): (teamIds: readonly string[], at: number) => StoryCandidate[] {
  const byTeam = new Map<string, { at: number; index: number }[]>();
  candidates.forEach((candidate, index) => {
    const at = candidate.publishedAt.getTime();
    for (const teamId of candidate.teamIds) {
      const list = byTeam.get(teamId) ?? [];
      list.push({ at, index });
      byTeam.set(teamId, list);
    }
  });
  for (const list of byTeam.values()) list.sort((a, b) => a.at - b.at);
  return (teamIds, at) => {
    const found = new Set<number>();
    for (const teamId of teamIds) {
      const list = byTeam.get(teamId);
      if (list === undefined) continue;
      for (let position = firstAtOrAfter(list, at - windowMs); position < list.length; position++) {
        const hit = list[position];
        if (hit === undefined || hit.at > at + windowMs) break;
        found.add(hit.index);
      }
    }
    return [...found].sort((a, b) => a - b).flatMap((index) => candidates[index] ?? []);
  };
}

function firstAtOrAfter(list: readonly { at: number }[], at: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle]?.at ?? Infinity) < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
