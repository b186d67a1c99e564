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
export { importGames, type GameImportResult } from './import.ts';
export { announceGameChanges } from './announce.ts';
export { computeStandings, type StandingsGame, type StandingsTeam, type TeamStanding } from './standings.ts';
export { currentSeason, lastGames, nextGame, type ScheduleGame } from './schedule.ts';
export { loadStandings } from './season-games.ts';
