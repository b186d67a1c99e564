/**
 * Shared types and constants for the reference team seed data.
 *
 * Kept separate from `index.ts` so that league data modules can import the
 * type without creating a runtime import cycle with the barrel module.
 */

export type LeagueCode = 'NBA' | 'NFL' | 'MLB' | 'NHL' | 'PREMIER_LEAGUE';

export interface TeamSeed {
  /** Slug: `${leaguePrefix}-${abbreviation lowercased}`, e.g. 'nba-bos'. */
  id: string;
  league: LeagueCode;
  /** Full name, e.g. 'Boston Celtics', 'Manchester United'. */
  name: string;
  /** Short name, e.g. 'Celtics', 'Man United'. */
  shortName: string;
  /** Official-ish upper-case code, e.g. 'BOS', 'MUN' (some NFL codes are two letters). */
  abbreviation: string;
  /** Home city, e.g. 'Boston', 'Manchester'. */
  city: string;
  /** NBA/NHL 'Eastern'/'Western', NFL 'AFC'/'NFC', MLB 'American League'/'National League'; null for the Premier League. */
  conference: string | null;
  /** e.g. NBA 'Atlantic', NFL 'AFC East', MLB 'AL East', NHL 'Metropolitan'; null for the Premier League. */
  division: string | null;
  /** 2-3 primary brand colours as '#RRGGBB'. */
  colors: string[];
  /**
   * Nicknames and common alternative names used in headlines (never the full
   * name itself). Unique within a league; may repeat across leagues because
   * tagging happens per league.
   */
  aliases: string[];
}

export const leaguePrefix: Record<LeagueCode, string> = {
  NBA: 'nba',
  NFL: 'nfl',
  MLB: 'mlb',
  NHL: 'nhl',
  PREMIER_LEAGUE: 'epl',
};
