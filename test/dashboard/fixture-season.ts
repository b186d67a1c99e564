/**
 * A hand-built season to check dashboard numbers against. Every record, rank and tie-break
 * below is worked out by hand in `standings.dashboard.test.ts`.
 *
 * NBA 2026-27, the Atlantic division (BOS, NYK, PHI, BKN, TOR) plus the Lakers from the West:
 *   G1  BOS 110-100 NYK     G6  BOS 112-100 BKN     G11 NYK 100-102 LAL
 *   G2  NYK 105-99  PHI     G7  TOR 108-111 NYK     G13 BOS 105-95  BKN
 *   G3  PHI 101-98  BOS     G8  BOS-TOR postponed   G0  BOS 80-120 NYK (2025-26, another season)
 *   G4  BKN 90-95   TOR     G9  PHI-LAL canceled    G12 BOS-LAL in 3 days, G14 NYK-BOS in 10 days
 *   G5  LAL 120-115 BOS     G10 BOS 99-97   PHI     G15 TOR-PHI in progress (50-48)
 * NFL 2026, AFC East, with two ties: BUF 20-20 MIA, NE 17-24 BUF, NYJ 10-13 NE, MIA 27-27 NYJ.
 * Premier League 2026-27: ARS 2-2 LIV, CHE 0-3 ARS, LIV 4-1 CHE, MCI 1-0 ARS.
 */
export type FixtureRow = {
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

function game(
  externalId: string,
  league: string,
  season: string,
  startsAt: string,
  home: string,
  away: string,
  status: string,
  homeScore: number | null = null,
  awayScore: number | null = null,
): FixtureRow {
  return { league, season, startsAt, homeTeamId: home, awayTeamId: away, status, homeScore, awayScore, externalId };
}

/** An instant `days` from now, on the minute, for games that must still lie ahead. */
export function daysFromNow(days: number, now = Date.now()): string {
  return new Date(Math.floor((now + days * 86_400_000) / 60_000) * 60_000).toISOString();
}

export function fixtureSeason(now = Date.now()): FixtureRow[] {
  const nba = (id: string, startsAt: string, home: string, away: string, status: string, homeScore?: number, awayScore?: number) =>
    game(`fx-nba-${id}`, 'NBA', '2026-27', startsAt, `nba-${home}`, `nba-${away}`, status, homeScore, awayScore);
  const nfl = (id: string, startsAt: string, home: string, away: string, homeScore: number, awayScore: number) =>
    game(`fx-nfl-${id}`, 'NFL', '2026', startsAt, `nfl-${home}`, `nfl-${away}`, 'FINAL', homeScore, awayScore);
  const epl = (id: string, startsAt: string, home: string, away: string, homeScore: number, awayScore: number) =>
    game(`fx-epl-${id}`, 'PREMIER_LEAGUE', '2026-27', startsAt, `epl-${home}`, `epl-${away}`, 'FINAL', homeScore, awayScore);
  return [
    { ...nba('g0', '2026-03-01T00:30:00Z', 'bos', 'nyk', 'FINAL', 80, 120), season: '2025-26' },
    nba('g1', '2026-10-20T23:30:00Z', 'bos', 'nyk', 'FINAL', 110, 100),
    nba('g2', '2026-10-22T23:30:00Z', 'nyk', 'phi', 'FINAL', 105, 99),
    nba('g3', '2026-10-24T23:30:00Z', 'phi', 'bos', 'FINAL', 101, 98),
    nba('g4', '2026-10-26T23:30:00Z', 'bkn', 'tor', 'FINAL', 90, 95),
    nba('g5', '2026-10-28T02:30:00Z', 'lal', 'bos', 'FINAL', 120, 115),
    nba('g6', '2026-10-30T23:30:00Z', 'bos', 'bkn', 'FINAL', 112, 100),
    nba('g7', '2026-11-01T23:30:00Z', 'tor', 'nyk', 'FINAL', 108, 111),
    nba('g8', '2026-11-03T23:30:00Z', 'bos', 'tor', 'POSTPONED'),
    nba('g9', '2026-11-05T23:30:00Z', 'phi', 'lal', 'CANCELED'),
    nba('g10', '2026-11-07T23:30:00Z', 'bos', 'phi', 'FINAL', 99, 97),
    nba('g11', '2026-11-09T23:30:00Z', 'nyk', 'lal', 'FINAL', 100, 102),
    nba('g12', daysFromNow(3, now), 'bos', 'lal', 'SCHEDULED'),
    nba('g13', '2026-11-11T23:30:00Z', 'bos', 'bkn', 'FINAL', 105, 95),
    nba('g14', daysFromNow(10, now), 'nyk', 'bos', 'SCHEDULED'),
    nba('g15', daysFromNow(-1 / 24, now), 'tor', 'phi', 'IN_PROGRESS', 50, 48),
    nfl('n1', '2026-09-10T17:00:00Z', 'buf', 'mia', 20, 20),
    nfl('n2', '2026-09-17T17:00:00Z', 'ne', 'buf', 17, 24),
    nfl('n3', '2026-09-24T17:00:00Z', 'nyj', 'ne', 10, 13),
    nfl('n4', '2026-10-01T17:00:00Z', 'mia', 'nyj', 27, 27),
    epl('p1', '2026-08-15T14:00:00Z', 'ars', 'liv', 2, 2),
    epl('p2', '2026-08-22T14:00:00Z', 'che', 'ars', 0, 3),
    epl('p3', '2026-08-29T14:00:00Z', 'liv', 'che', 4, 1),
    epl('p4', '2026-09-05T14:00:00Z', 'mci', 'ars', 1, 0),
  ];
}
