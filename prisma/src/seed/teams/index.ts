import { mlbTeams } from './mlb.ts';
import { nbaTeams } from './nba.ts';
import { nflTeams } from './nfl.ts';
import { nhlTeams } from './nhl.ts';
import { premierLeagueTeams } from './premier-league.ts';
import type { TeamSeed } from './types.ts';

export type { LeagueCode, TeamSeed } from './types.ts';
export { leaguePrefix } from './types.ts';
export { mlbTeams, nbaTeams, nflTeams, nhlTeams, premierLeagueTeams };

/** Every reference team across all supported leagues. */
export const allTeams: readonly TeamSeed[] = [...nbaTeams, ...nflTeams, ...mlbTeams, ...nhlTeams, ...premierLeagueTeams];
