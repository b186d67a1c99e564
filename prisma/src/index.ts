export * from './errors.ts';
export { isDatabaseUnavailable } from './outages.ts';
export { isTransactionConflict } from './conflicts.ts';
export { decodeCursor, decodeCursorOrThrow, encodeCursor, toPage, type Page } from './pagination.ts';
export {
  openDatabase,
  type Database,
  type DatabaseKind,
  type OpenDatabaseOptions,
  type SqlRunner,
  type SqlStatement,
  type TransactionalSql,
} from './database.ts';
export { applyMigrations, migrationsDir, readMigrations, MigrationError, type Migration, type MigrationConnection } from './migrations.ts';
export * from './repositories/teams.ts';
export {
  listSources,
  findSource,
  requireSource,
  createSource,
  updateSource,
  deleteSource,
  allSources,
  moveSource,
  type SourceWithTeams,
  type SourceFields,
  type SourceChange,
  type ListSourcesQuery,
} from './repositories/sources.ts';
export {
  listNews,
  newsListStatement,
  newsPageOf,
  findNewsItems,
  teamsOf,
  type NewsQuery,
  type NewsRow,
  type NewsSort,
  type NewsStatementRow,
} from './repositories/news.ts';
export * from './repositories/users.ts';
export * from './repositories/preferences.ts';
export {
  listTeamGames,
  loadSeasonGames,
  upsertGames,
  teamLeagues,
  teamsOfLeaguesOf,
  currentSeasonOf,
  type TeamGamesQuery,
  type GameTeam,
  type TeamGame,
  type SeasonGame,
  type SeasonGames,
  type SeasonTeam,
  type GameWrite,
  type UpsertOutcome,
  type GamesAnnouncer,
} from './repositories/games.ts';
export * from './repositories/summaries.ts';
export * from './repositories/source-fetches.ts';
export * from './repositories/events.ts';
export * from './repositories/dashboard.ts';
export * from './repositories/feed-entries.ts';
export * from './repositories/stories.ts';
export { upsertReferenceTeams, type ReferenceSeedResult } from './seed/reference.ts';
export { seedDemoData, type DemoSeedResult } from './seed/demo.ts';
export { allTeams, leaguePrefix, type TeamSeed, type LeagueCode } from './seed/teams/index.ts';
export { Prisma, PrismaClient } from './generated/prisma/client.ts';
export type {
  User,
  Preferences,
  Follow,
  Team,
  Source,
  SourceTeam,
  Article,
  ArticleSource,
  ArticleTeam,
  Game,
  Summary,
  Event,
  WebhookDelivery,
} from './generated/prisma/client.ts';
export * from './generated/prisma/enums.ts';
export { uuidv7 } from './ids.ts';
export { abortReason, systemClock, type Clock } from './clock.ts';
