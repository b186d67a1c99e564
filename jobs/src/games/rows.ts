import { AppError } from '@pressbox/db';
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';

/** The columns of a games import, as DESIGN.md fixes them. */
export const gameColumns = [
  'league',
  'season',
  'startsAt',
  'homeTeamId',
  'awayTeamId',
  'status',
  'homeScore',
  'awayScore',
  'externalId',
] as const;
export type GameColumn = (typeof gameColumns)[number];

/** Scores may be left out of a file altogether (a schedule has none); every other column is required. */
export const requiredGameColumns: readonly GameColumn[] = gameColumns.filter((column) => column !== 'homeScore' && column !== 'awayScore');

/** Largest import accepted, in UTF-8 bytes (the API's body limit). */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Most data rows one import may hold; a season of every league fits in a few files. */
export const MAX_IMPORT_ROWS = 5000;

export const gameImportInputSchema = z.object({
  format: z.enum(['csv', 'json']),
  content: z.string(),
});
export type GameImportInput = z.infer<typeof gameImportInputSchema>;
export type GameImportFormat = GameImportInput['format'];

/** One data row of a file, every column as trimmed text ('' when absent or empty). */
export interface RawGameRow {
  /** 1-based number of the data row (the header and blank lines are not counted). */
  row: number;
  values: Readonly<Record<GameColumn, string>>;
  /** What is wrong with the row's shape (field count, a value that is not text), before any rule. */
  problems: string[];
}

/**
 * Reads a games file into raw rows, enforcing the size bounds first so nothing is imported from
 * an oversized file. CSV: a header row naming the columns (any order, case-insensitive; unknown
 * columns ignored), quoted fields, BOM, CRLF and blank lines are handled. JSON: an array of
 * objects keyed by column name, whose values are strings, numbers or null.
 *
 * Throws `AppError` for a file that cannot be read at all: PAYLOAD_TOO_LARGE over 1 MiB or
 * 5,000 rows, BAD_REQUEST for broken CSV/JSON or a missing column (named in the message).
 *
 * @example
 * const rows = readGameRows({ format: 'csv', content: 'league,season,...\nNBA,2025-26,...' });
 * rows[0]?.values.status // 'FINAL'
 */
export function readGameRows(input: GameImportInput): RawGameRow[] {
  const bytes = Buffer.byteLength(input.content, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The import is ${String(bytes)} bytes; at most ${String(MAX_IMPORT_BYTES)} bytes (1 MiB) are accepted`,
    );
  }
  const rows = input.format === 'csv' ? readCsv(input.content) : readJson(input.content);
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The import has ${String(rows.length)} rows; at most ${String(MAX_IMPORT_ROWS)} are accepted per import: split the file`,
    );
  }
  return rows;
}

function emptyValues(): Record<GameColumn, string> {
  return { league: '', season: '', startsAt: '', homeTeamId: '', awayTeamId: '', status: '', homeScore: '', awayScore: '', externalId: '' };
}

function readCsv(content: string): RawGameRow[] {
  let records: string[][];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true });
  } catch (error) {
    if (error instanceof CsvError) throw new AppError('BAD_REQUEST', `The CSV cannot be read: ${error.message}`);
    throw error;
  }
  const [header, ...data] = records.filter((record) => record.some((field) => field.trim() !== ''));
  if (header === undefined) throw new AppError('BAD_REQUEST', 'The CSV is empty: expected a header row naming the columns');
  const positions = columnPositions(header);
  return data.map((record, index) => {
    const values = emptyValues();
    for (const [column, position] of positions) values[column] = (record[position] ?? '').trim();
    const problems =
      record.length === header.length ? [] : [`the row has ${String(record.length)} fields where the header has ${String(header.length)}`];
    return { row: index + 1, values, problems };
  });
}

/** Where each known column is in the header; unknown columns are skipped, missing ones refused. */
function columnPositions(header: readonly string[]): Map<GameColumn, number> {
  const byName = new Map<string, GameColumn>(gameColumns.map((column) => [column.toLowerCase(), column]));
  const positions = new Map<GameColumn, number>();
  header.forEach((name, position) => {
    const column = byName.get(name.trim().toLowerCase());
    if (column === undefined) return;
    if (positions.has(column)) throw new AppError('BAD_REQUEST', `The CSV header names the column ${column} twice`);
    positions.set(column, position);
  });
  const missing = requiredGameColumns.filter((column) => !positions.has(column));
  if (missing.length > 0) {
    const hint = header.length === 1 && /[;\t|]/.test(header[0] ?? '') ? ' (columns must be separated by commas)' : '';
    const noun = missing.length === 1 ? 'column' : 'columns';
    throw new AppError(
      'BAD_REQUEST',
      `The CSV header is missing the ${noun} ${missing.join(', ')}${hint}; expected ${gameColumns.join(', ')}`,
    );
  }
  return positions;
}

const jsonDocument = z.array(z.unknown());
const jsonCell = z.union([z.string(), z.number(), z.null(), z.undefined()]);

function readJson(content: string): RawGameRow[] {
  let document: unknown;
  try {
    document = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AppError('BAD_REQUEST', `The JSON cannot be read: ${error instanceof Error ? error.message : 'invalid JSON'}`);
  }
  const items = jsonDocument.safeParse(document);
  if (!items.success) throw new AppError('BAD_REQUEST', 'The JSON must be an array of game objects');
  return items.data.map((item, index) => {
    const values = emptyValues();
    const problems: string[] = [];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push('the row is not an object');
      return { row: index + 1, values, problems };
    }
    for (const column of gameColumns) {
      const cell = jsonCell.safeParse(Object.hasOwn(item, column) ? (item as Record<string, unknown>)[column] : undefined);
      if (!cell.success) problems.push(`${column}: expected text or a number`);
      else if (typeof cell.data === 'string') values[column] = cell.data.trim();
      else if (typeof cell.data === 'number') values[column] = String(cell.data);
    }
    return { row: index + 1, values, problems };
  });
}
