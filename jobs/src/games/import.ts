import { AppError, teamLeagues, upsertGames, type PrismaClient } from '@pressbox/db';
import { announceGameChanges } from './announce.ts';
import { gameImportInputSchema, readGameRows, type RawGameRow } from './rows.ts';
import { validateGameRows, type Rejection } from './validate.ts';

export interface GameImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
  /** Data rows in the file: inserted + updated + unchanged + rejected. */
  total: number;
  /** Teams whose games were inserted or changed (sorted): their dashboards and standings are stale. */
  changedTeamIds: string[];
}

/** Only ids shaped like team slugs are looked up; anything else cannot be a team. */
const TEAM_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Imports games from a CSV or JSON file: rows are read and checked (see `validateGameRows` for the
 * rules), the teams they name are looked up in one query, and the valid rows are upserted by
 * `externalId` in one transaction while the others are reported with their reasons. Re-importing
 * the same file changes nothing; a changed row updates its game; two imports of one file at the
 * same time create no duplicates. The `dashboard.updated` events of the teams it moved
 * (`announceGameChanges`) commit with the games; the event bus's relay publishes them (call
 * `publishCommitted` to have that happen at once).
 *
 * Throws `AppError` (BAD_REQUEST, PAYLOAD_TOO_LARGE) when the file as a whole cannot be read; then
 * nothing is imported.
 *
 * @example
 * const result = await importGames(prisma, { format: 'csv', content: csvText });
 * await events.publishCommitted();
 */
export async function importGames(prisma: PrismaClient, input: { format: 'csv' | 'json'; content: string }): Promise<GameImportResult> {
  const parsed = gameImportInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError('BAD_REQUEST', "A games import needs a format ('csv' or 'json') and the file's text as content");
  const rows = readGameRows(parsed.data);
  const teams = await teamLeagues(prisma, teamIdsNamed(rows));
  const { records, rejected } = validateGameRows(rows, teams);
  const outcome = await upsertGames(prisma, records, announceGameChanges);
  return {
    inserted: outcome.inserted,
    updated: outcome.updated,
    unchanged: outcome.unchanged,
    rejected,
    total: rows.length,
    changedTeamIds: outcome.changedTeamIds,
  };
}

/** The ids the rows name that are shaped like team slugs; anything else cannot be a team. */
function teamIdsNamed(rows: readonly RawGameRow[]): string[] {
  const ids = new Set<string>();
  for (const { values } of rows) {
    for (const id of [values.homeTeamId.toLowerCase(), values.awayTeamId.toLowerCase()]) if (TEAM_ID.test(id)) ids.add(id);
  }
  return [...ids];
}
