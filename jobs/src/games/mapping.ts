import { GameStatus, League } from '@pressbox/db';

/**
 * Every game status the schema declares, in declaration order. Read off the generated enum so a
 * value added to schema.prisma is importable without touching this file.
 */
export const gameStatuses: readonly GameStatus[] = Object.values(GameStatus);

/** Every league the schema declares, in declaration order (same reasoning as {@link gameStatuses}). */
export const leagues: readonly League[] = Object.values(League);

/**
 * What data providers write instead of our enum names. Keys are in the normalized form of
 * {@link normalizeEnumText}; a synonym never shadows a canonical value of the same spelling.
 */
export const gameStatusSynonyms: ReadonlyMap<string, GameStatus> = new Map<string, GameStatus>([
  ['F', GameStatus.FINAL],
  ['FT', GameStatus.FINAL],
  ['FULL_TIME', GameStatus.FINAL],
  ['COMPLETED', GameStatus.FINAL],
  ['LIVE', GameStatus.IN_PROGRESS],
  ['INPROGRESS', GameStatus.IN_PROGRESS],
  ['PRE', GameStatus.SCHEDULED],
  ['UPCOMING', GameStatus.SCHEDULED],
  ['NOT_STARTED', GameStatus.SCHEDULED],
  ['PPD', GameStatus.POSTPONED],
  ['CANCELLED', GameStatus.CANCELED],
]);

/** League spellings seen in exports besides our enum names (see {@link gameStatusSynonyms}). */
export const leagueSynonyms: ReadonlyMap<string, League> = new Map<string, League>([
  ['EPL', League.PREMIER_LEAGUE],
  ['PREMIERLEAGUE', League.PREMIER_LEAGUE],
  ['ENGLISH_PREMIER_LEAGUE', League.PREMIER_LEAGUE],
]);

/**
 * The form enum text is compared in: trimmed, upper-case, runs of spaces, hyphens and
 * underscores made one underscore. So "in progress", "In-Progress" and "IN_PROGRESS" are equal.
 *
 * @example
 * normalizeEnumText(' premier-league ') // 'PREMIER_LEAGUE'
 */
export function normalizeEnumText(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s_-]+/g, '_');
}

function lookupTable<T extends string>(canonical: readonly T[], synonyms: ReadonlyMap<string, T>): ReadonlyMap<string, T> {
  // Canonical names go in last so they win over a synonym spelled the same.
  return new Map<string, T>([...synonyms, ...canonical.map((value) => [normalizeEnumText(value), value] as const)]);
}

const statusTable = lookupTable(gameStatuses, gameStatusSynonyms);
const leagueTable = lookupTable(leagues, leagueSynonyms);

/**
 * The game status a provider's text stands for, case-insensitively, with common synonyms;
 * undefined when it names none.
 *
 * @example
 * toGameStatus('FT') // 'FINAL'
 * toGameStatus('cancelled') // 'CANCELED'
 */
export function toGameStatus(text: string): GameStatus | undefined {
  return statusTable.get(normalizeEnumText(text));
}

/**
 * The league a provider's text stands for, case-insensitively, with common synonyms; undefined
 * when it names none.
 *
 * @example
 * toLeague('Premier League') // 'PREMIER_LEAGUE'
 */
export function toLeague(text: string): League | undefined {
  return leagueTable.get(normalizeEnumText(text));
}
