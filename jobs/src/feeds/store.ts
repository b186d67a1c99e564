import {
  storeFeedEntries,
  type League,
  type MatchedBy,
  type StoreAnnouncer,
  type StoreResult,
  type StoryMatcher,
  type Team,
  type TransactionalSql,
} from '@pressbox/db';
import { storyMatcher } from '../stories/matcher.ts';
import { teamMatcher, type TeamNames } from './team-match.ts';
import type { FeedItem } from './types.ts';

/** The parts of a Source row storing needs. */
export interface StoreSource {
  id: string;
  /** Set for league-wide sources: their items are tagged by team names and aliases. */
  league: League | null;
  /** Teams the source is linked to (SourceTeam rows): every item is tagged with them. */
  teamIds: readonly string[];
}

export interface StoreOptions {
  /** Team rows to match league-wide items against (teams of other leagues are ignored). */
  teams: readonly (TeamNames & Pick<Team, 'league'>)[];
  /** The fetch time: `fetchedAt` of new articles and `lastSeenAt` of every entry. */
  now?: Date;
  /** Groups new articles with other sources' tellings of their story; `null` stores without grouping. */
  stories?: StoryMatcher | null;
  /** The events of the outcome, committed with it. */
  announce?: StoreAnnouncer | undefined;
}

/** One matcher for the process, so its cache of signatures serves every feed. */
let sharedMatcher: StoryMatcher | undefined;

/**
 * Stores a feed's entries (see `storeFeedEntries`) tagged with their teams: the source's own teams
 * (SOURCE), and for league-wide sources the league's teams named in the title or summary (NAME,
 * or ALIAS for short names and aliases). New articles join the story another source told first
 * (see `storyMatcher`).
 *
 * @example
 * const result = await storeFeedItems(db.sql, { id, league: null, teamIds: ['nba-bos'] }, feed.items, { teams: [] });
 * for (const { articleId, teamIds } of result.created) publishNews(articleId, teamIds);
 */
export function storeFeedItems(
  sql: TransactionalSql,
  source: StoreSource,
  items: readonly FeedItem[],
  options: StoreOptions,
): Promise<StoreResult> {
  const stories = options.stories === null ? undefined : (options.stories ?? (sharedMatcher ??= storyMatcher()));
  return storeFeedEntries(sql, source.id, items, tagger(source, options.teams), options.now ?? new Date(), {
    stories,
    announce: options.announce,
  });
}

/** Source teams first (SOURCE wins over a name match for the same team), sorted by id so concurrent inserts take locks in one order. */
function tagger(source: StoreSource, teams: StoreOptions['teams']): (item: FeedItem) => { teamId: string; matchedBy: MatchedBy }[] {
  const league = source.league;
  const match = league === null ? undefined : teamMatcher(teams.filter((team) => team.league === league));
  return (item) => {
    const tags = new Map<string, MatchedBy>();
    for (const teamId of source.teamIds) tags.set(teamId, 'SOURCE');
    if (match) {
      for (const found of [...match(item.title), ...match(item.summary)]) {
        const current = tags.get(found.teamId);
        if (current === undefined || (current === 'ALIAS' && found.matchedBy === 'NAME')) tags.set(found.teamId, found.matchedBy);
      }
    }
    return [...tags]
      .map(([teamId, matchedBy]) => ({ teamId, matchedBy }))
      .sort((a, b) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  };
}
