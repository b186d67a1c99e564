export { gameStatuses, gameStatusSynonyms, leagues, leagueSynonyms, normalizeEnumText, toGameStatus, toLeague } from './mapping.ts';
export {
  gameColumns,
  gameImportInputSchema,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  readGameRows,
  requiredGameColumns,
  type GameColumn,
  type GameImportFormat,
  type GameImportInput,
  type RawGameRow,
} from './rows.ts';
export { normalizeSeason, validateGameRows, type GameRecord, type Rejection, type TeamLeagues, type ValidatedRows } from './validate.ts';
export { upsertGames, type UpsertOutcome } from './upsert.ts';
export { importGames, type GameImportResult } from './import.ts';
export { listTeamGames, type GameTeam, type TeamGame, type TeamGamesQuery } from './list.ts';
export { computeStandings, type StandingsGame, type StandingsTeam, type TeamStanding } from './standings.ts';
export { currentSeason, lastGames, nextGame, type ScheduleGame } from './schedule.ts';
export { loadSeasonGames, loadStandings, type SeasonGame, type SeasonGames } from './season-games.ts';
