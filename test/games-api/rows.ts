import { randomBytes } from 'node:crypto';

/** The columns of a games import in the order DESIGN.md lists them. */
export const header = 'league,season,startsAt,homeTeamId,awayTeamId,status,homeScore,awayScore,externalId';

/** One import row as an object, the shape `rows` takes; CSV files are written from the same objects. */
export type GameRow = {
  league: string;
  season: string;
  startsAt: string;
  homeTeamId: string;
  awayTeamId: string;
  status: string;
  homeScore: number | null;
  awayScore: number | null;
  externalId: string;
};

/** A CSV file with a header row and CRLF line ends, as spreadsheets export it. */
export function toCsv(rows: readonly GameRow[]): string {
  const line = (row: GameRow) =>
    [
      row.league,
      row.season,
      row.startsAt,
      row.homeTeamId,
      row.awayTeamId,
      row.status,
      row.homeScore ?? '',
      row.awayScore ?? '',
      row.externalId,
    ].join(',');
  return `${header}\r\n${rows.map(line).join('\r\n')}\r\n`;
}

/** An external id prefix no other test of the file uses. */
export function uniqueId(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** A FINAL NBA game. */
export function finalGame(id: string, startsAt: string, home: string, away: string, homeScore: number, awayScore: number): GameRow {
  return {
    league: 'NBA',
    season: '2025-26',
    startsAt,
    homeTeamId: home,
    awayTeamId: away,
    status: 'FINAL',
    homeScore,
    awayScore,
    externalId: id,
  };
}
