import { GameStatus, type GameWrite, type League } from '@pressbox/db';
import { z } from 'zod';
import { gameStatuses, leagues, toGameStatus, toLeague } from './mapping.ts';
import type { GameColumn, RawGameRow } from './rows.ts';

/** A row that passed every rule, in the schema's terms (`season` normalized: `2025` or `2025-26`). */
export interface GameRecord extends GameWrite {
  row: number;
}

/** A row that was not imported, with every problem found in it. */
export interface Rejection {
  /** 1-based data row number (header and blank lines not counted). */
  row: number;
  externalId?: string;
  reasons: string[];
}

/** The league of each known team, by team id. */
export type TeamLeagues = ReadonlyMap<string, League>;

export interface ValidatedRows {
  records: GameRecord[];
  rejected: Rejection[];
}

/** Statuses of games that have not been played: a score on one is a data error, not a result. */
const unplayed: ReadonlySet<GameStatus> = new Set([GameStatus.SCHEDULED, GameStatus.POSTPONED, GameStatus.CANCELED]);
/** Statuses that need a result. Any other status (IN_PROGRESS) takes both scores or neither. */
const scored: ReadonlySet<GameStatus> = new Set([GameStatus.FINAL]);

const SHOWN_CHARS = 60;

/** A value as it is quoted in a reason: bounded and free of control characters. */
function shown(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return `'${clean.length > SHOWN_CHARS ? `${clean.slice(0, SHOWN_CHARS)}…` : clean}'`;
}

const required = 'required';

const externalIdSchema = z
  .string()
  .min(1, { error: required, abort: true })
  .max(128, 'is longer than 128 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, { error: (issue) => `${shown(String(issue.input))} may only hold letters, digits and . _ : -` });

const leagueSchema = z.string().transform((value, context) => {
  const league = value === '' ? undefined : toLeague(value);
  if (league === undefined) context.addIssue(value === '' ? required : `${shown(value)} is not a league (${leagues.join(', ')})`);
  return league ?? z.NEVER;
});

const statusSchema = z.string().transform((value, context) => {
  const status = value === '' ? undefined : toGameStatus(value);
  if (status === undefined) context.addIssue(value === '' ? required : `${shown(value)} is not a game status (${gameStatuses.join(', ')})`);
  return status ?? z.NEVER;
});

const SEASON = /^(\d{4})(-\d{2}|-\d{4}|)$/;

/**
 * A season in the form it is stored: `2025`, or `2025-26` for one across two years (`2025-2026`
 * is accepted too). Undefined for anything else, including years that do not follow each other.
 *
 * @example
 * normalizeSeason('2025-2026') // '2025-26'
 */
export function normalizeSeason(text: string): string | undefined {
  const match = SEASON.exec(text.trim());
  if (match === null) return undefined;
  const start = Number(match[1]);
  const end = match[2]?.slice(1) ?? '';
  if (start < 1850 || start > 2200) return undefined;
  if (end === '') return String(start);
  const next = String(start + 1);
  return end === next || end === next.slice(2) ? `${String(start)}-${next.slice(2)}` : undefined;
}

const seasonSchema = z.string().transform((value, context) => {
  const season = value === '' ? undefined : normalizeSeason(value);
  if (season !== undefined) return season;
  if (value === '') context.addIssue(required);
  else if (SEASON.test(value))
    context.addIssue(`${shown(value)} is not a season: the second year must follow the first (years 1850–2200), as in 2025-26`);
  else context.addIssue(`${shown(value)} is not a season: expected one such as 2025, 2025-26 or 2025-2026`);
  return z.NEVER;
});

const START_EXAMPLE = 'e.g. 2025-10-21T19:30:00-04:00';
const withOffset = z.union([z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })]);
const withoutOffset = z.union([z.iso.datetime({ local: true }), z.iso.datetime({ local: true, precision: -1 })]);

/** Kick-off instants: a bare date or a local time would put games on the wrong day for someone. */
const startsAtSchema = z.string().transform((value, context) => {
  if (value === '') {
    context.addIssue(required);
  } else if (withOffset.safeParse(value).success) {
    return new Date(value);
  } else if (z.iso.date().safeParse(value).success) {
    context.addIssue(`${shown(value)} is a date without a time: kick-off times matter (${START_EXAMPLE})`);
  } else if (withoutOffset.safeParse(value).success) {
    context.addIssue(`${shown(value)} has no UTC offset: end it with Z or an offset (${START_EXAMPLE})`);
  } else {
    context.addIssue(`${shown(value)} is not an ISO-8601 date-time with offset (${START_EXAMPLE})`);
  }
  return z.NEVER;
});

const scoreSchema = z.string().transform((value, context) => {
  if (value === '') return null;
  if (!/^\d{1,3}$/.test(value)) {
    context.addIssue(`${shown(value)} is not a whole number from 0 to 999`);
    return z.NEVER;
  }
  return Number(value);
});

const teamIdSchema = z
  .string()
  .min(1, required)
  .transform((value) => value.toLowerCase());

/** Parses one column with its schema, adding `column: message` to `reasons` for each issue. */
function column<T>(schema: z.ZodType<T, string>, name: GameColumn, row: RawGameRow, reasons: string[]): T | undefined {
  const result = schema.safeParse(row.values[name]);
  if (result.success) return result.data;
  for (const issue of result.error.issues) reasons.push(`${name}: ${issue.message}`);
  return undefined;
}

/**
 * Applies the import rules to raw rows. Every problem of a row is reported, not just the first:
 * - externalId: 1–128 characters of `[A-Za-z0-9._:-]`, unique within the file (a later row with
 *   the same id is rejected, whatever became of the earlier one);
 * - league and status: the schema's enums, case-insensitive, with synonyms (see mapping.ts);
 * - season: `2025`, `2025-26` or `2025-2026` (stored as `2025` or `2025-26`);
 * - startsAt: ISO-8601 date-time with `Z` or an offset; a date alone is refused;
 * - homeTeamId, awayTeamId: teams of the row's league (from `teams`), not the same team;
 * - scores: whole numbers 0–999 or empty. FINAL needs both. SCHEDULED, POSTPONED and CANCELED
 *   refuse any score (an unplayed game has no result; a score there means the status is wrong).
 *   Other statuses (IN_PROGRESS) take both scores or neither.
 *
 * @example
 * const { records, rejected } = validateGameRows(readGameRows(input), new Map([['nba-bos', 'NBA'], ['nba-nyk', 'NBA']]));
 */
export function validateGameRows(rows: readonly RawGameRow[], teams: TeamLeagues): ValidatedRows {
  const result: ValidatedRows = { records: [], rejected: [] };
  const firstRowOf = new Map<string, number>();
  for (const row of rows) {
    const reasons = [...row.problems];
    const externalId = column(externalIdSchema, 'externalId', row, reasons);
    const league = column(leagueSchema, 'league', row, reasons);
    const season = column(seasonSchema, 'season', row, reasons);
    const startsAt = column(startsAtSchema, 'startsAt', row, reasons);
    const homeTeamId = column(teamIdSchema, 'homeTeamId', row, reasons);
    const awayTeamId = column(teamIdSchema, 'awayTeamId', row, reasons);
    const status = column(statusSchema, 'status', row, reasons);
    const homeScore = column(scoreSchema, 'homeScore', row, reasons);
    const awayScore = column(scoreSchema, 'awayScore', row, reasons);

    reasons.push(...teamReasons(teams, league, homeTeamId, awayTeamId));
    if (status !== undefined) reasons.push(...scoreReasons(status, row.values));

    const rawId = row.values.externalId;
    if (rawId !== '') {
      const earlier = firstRowOf.get(rawId);
      if (earlier === undefined) firstRowOf.set(rawId, row.row);
      else reasons.push(`externalId: ${shown(rawId)} already appears in row ${String(earlier)}`);
    }

    if (
      reasons.length === 0 &&
      externalId !== undefined &&
      league !== undefined &&
      season !== undefined &&
      startsAt !== undefined &&
      homeTeamId !== undefined &&
      awayTeamId !== undefined &&
      status !== undefined &&
      homeScore !== undefined &&
      awayScore !== undefined
    ) {
      result.records.push({ row: row.row, externalId, league, season, startsAt, homeTeamId, awayTeamId, status, homeScore, awayScore });
    } else {
      result.rejected.push({ row: row.row, ...(rawId === '' ? {} : { externalId: rawId.slice(0, 128) }), reasons });
    }
  }
  return result;
}

function teamReasons(
  teams: TeamLeagues,
  league: League | undefined,
  homeTeamId: string | undefined,
  awayTeamId: string | undefined,
): string[] {
  const reasons: string[] = [];
  for (const [name, id] of [['homeTeamId', homeTeamId] as const, ['awayTeamId', awayTeamId] as const]) {
    if (id === undefined) continue;
    const teamLeague = teams.get(id);
    if (teamLeague === undefined) reasons.push(`${name}: no team ${shown(id)}`);
    else if (league !== undefined && teamLeague !== league) reasons.push(`${name}: ${shown(id)} plays in ${teamLeague}, not ${league}`);
  }
  if (homeTeamId !== undefined && homeTeamId === awayTeamId) reasons.push('awayTeamId: the same team as homeTeamId');
  return reasons;
}

function scoreReasons(status: GameStatus, values: RawGameRow['values']): string[] {
  const given = { homeScore: values.homeScore !== '', awayScore: values.awayScore !== '' } as const;
  const names = ['homeScore', 'awayScore'] as const;
  if (scored.has(status)) return names.filter((name) => !given[name]).map((name) => `${name}: required when status is ${status}`);
  if (unplayed.has(status))
    return names
      .filter((name) => given[name])
      .map((name) => `${name}: must be empty when status is ${status} (a game not played has no score)`);
  if (given.homeScore !== given.awayScore)
    return [given.homeScore ? 'awayScore: required when homeScore is given' : 'homeScore: required when awayScore is given'];
  return [];
}
