import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { fixtureSeason, type FixtureRow } from './fixture-season.ts';

const ADMIN = 'admin_standings';
const FAN = 'fan_standings';

const percentageRule =
  'Win percentage, then head-to-head win percentage among the tied teams (when each has played another of them), then point differential, then points scored, then name; teams without a game rank last';
const pointsRule = 'Points, then goal difference, then goals scored, then name; teams without a game rank last';

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`dashboard numbers of a hand-built season on ${kind}`, () => {
    let app: TestApp;
    let fixture: FixtureRow[];
    const startsAt = (externalId: string) => new Date(fixture.find((row) => row.externalId === externalId)?.startsAt ?? '').toISOString();

    beforeAll(async () => {
      app = await startTestApp({ database: kind, env: { PRESSBOX_ADMIN_USER_IDS: ADMIN } });
      fixture = fixtureSeason();
      const report = await app.trpc(ADMIN).games.import.mutate({ rows: fixture });
      expect(report).toMatchObject({ inserted: fixture.length, rejected: [] });
    });
    afterAll(async () => {
      await app.close();
    });

    const dashboard = (teamId: string) => app.trpc(FAN).teams.dashboard.query({ teamId });
    const externalIds = (games: readonly { externalId: string }[]) => games.map((game) => game.externalId);

    it('gives Boston its 4-2 record of this season only, from FINAL games', async () => {
      const bos = await dashboard('nba-bos');
      expect(bos.season).toBe('2026-27');
      expect(bos.record).toEqual({
        wins: 4,
        losses: 2,
        ties: 0,
        gamesPlayed: 6,
        winPercentage: 4 / 6,
        points: null,
        pointsFor: 639,
        pointsAgainst: 613,
        differential: 26,
      });
    });

    it('ranks Boston second in the league behind the unbeaten Lakers, first of the East and of the Atlantic', async () => {
      expect((await dashboard('nba-bos')).standing).toEqual({
        league: { name: 'NBA', rank: 2, of: 30 },
        conference: { name: 'Eastern', rank: 1, of: 15 },
        division: { name: 'Atlantic', rank: 1, of: 5 },
        tieBreak: percentageRule,
      });
      expect((await dashboard('nba-lal')).standing).toMatchObject({
        league: { name: 'NBA', rank: 1, of: 30 },
        conference: { name: 'Western', rank: 1, of: 15 },
        division: { name: 'Pacific', rank: 1, of: 5 },
      });
    });

    it('breaks the 2-2 / 1-1 tie of New York and Toronto head to head, although Toronto’s differential is better', async () => {
      const nyk = await dashboard('nba-nyk');
      const tor = await dashboard('nba-tor');
      expect(nyk.record).toMatchObject({ wins: 2, losses: 2, winPercentage: 0.5, differential: -3 });
      expect(tor.record).toMatchObject({ wins: 1, losses: 1, winPercentage: 0.5, differential: 2 });
      expect([nyk.standing.league.rank, nyk.standing.conference?.rank, nyk.standing.division?.rank]).toEqual([3, 2, 2]);
      expect([tor.standing.league.rank, tor.standing.conference?.rank, tor.standing.division?.rank]).toEqual([4, 3, 3]);
    });

    it('ranks Philadelphia and Brooklyn behind them, and counts no POSTPONED, CANCELED or IN_PROGRESS game', async () => {
      const phi = await dashboard('nba-phi');
      const bkn = await dashboard('nba-bkn');
      expect(phi.record).toMatchObject({ wins: 1, losses: 2, gamesPlayed: 3, pointsFor: 297, pointsAgainst: 302 });
      expect(bkn.record).toMatchObject({ wins: 0, losses: 3, gamesPlayed: 3, winPercentage: 0, differential: -27 });
      expect(phi.standing.division).toEqual({ name: 'Atlantic', rank: 4, of: 5 });
      expect(bkn.standing.division).toEqual({ name: 'Atlantic', rank: 5, of: 5 });
      expect(bkn.standing.league).toEqual({ name: 'NBA', rank: 6, of: 30 });
    });

    it('lists Boston’s last five FINAL games of the season, newest first, with both teams described', async () => {
      const bos = await dashboard('nba-bos');
      expect(externalIds(bos.lastGames)).toEqual(['fx-nba-g13', 'fx-nba-g10', 'fx-nba-g6', 'fx-nba-g5', 'fx-nba-g3']);
      expect(bos.lastGames[3]).toEqual({
        id: expect.any(String) as unknown,
        externalId: 'fx-nba-g5',
        league: 'NBA',
        season: '2026-27',
        startsAt: '2026-10-28T02:30:00.000Z',
        status: 'FINAL',
        homeScore: 120,
        awayScore: 115,
        homeTeam: { id: 'nba-lal', name: 'Los Angeles Lakers', shortName: 'Lakers', abbreviation: 'LAL' },
        awayTeam: { id: 'nba-bos', name: 'Boston Celtics', shortName: 'Celtics', abbreviation: 'BOS' },
      });
    });

    it('shows the earliest scheduled game ahead as next, skipping the postponed one', async () => {
      const bos = await dashboard('nba-bos');
      expect(bos.nextGame).toMatchObject({
        externalId: 'fx-nba-g12',
        status: 'SCHEDULED',
        startsAt: startsAt('fx-nba-g12'),
        homeScore: null,
        awayScore: null,
        homeTeam: { id: 'nba-bos' },
        awayTeam: { id: 'nba-lal' },
      });
      expect((await dashboard('nba-lal')).nextGame?.externalId).toBe('fx-nba-g12');
    });

    it('shows a game in progress as next, and no next game for a team with nothing scheduled', async () => {
      expect((await dashboard('nba-tor')).nextGame).toMatchObject({ externalId: 'fx-nba-g15', status: 'IN_PROGRESS', homeScore: 50 });
      expect(externalIds((await dashboard('nba-tor')).lastGames)).toEqual(['fx-nba-g7', 'fx-nba-g4']);
      expect((await dashboard('nba-bkn')).nextGame).toBeNull();
    });

    it('gives a team without games zeros, a rank among all the league’s teams by name, and no next game', async () => {
      const atl = await dashboard('nba-atl');
      expect(atl).toMatchObject({
        teamId: 'nba-atl',
        season: '2026-27',
        record: {
          wins: 0,
          losses: 0,
          ties: 0,
          gamesPlayed: 0,
          winPercentage: 0,
          points: null,
          pointsFor: 0,
          pointsAgainst: 0,
          differential: 0,
        },
        standing: {
          league: { name: 'NBA', rank: 7, of: 30 },
          conference: { name: 'Eastern', rank: 6, of: 15 },
          division: { name: 'Southeast', rank: 1, of: 5 },
        },
        lastGames: [],
        nextGame: null,
      });
    });

    it('ranks every team of a league that has no games yet, by name, with no season', async () => {
      expect(await dashboard('mlb-atl')).toMatchObject({
        season: null,
        record: { wins: 0, losses: 0, ties: 0, gamesPlayed: 0, winPercentage: 0 },
        standing: {
          league: { name: 'MLB', rank: 3, of: 30 },
          conference: { name: 'National League', rank: 2, of: 15 },
          division: { name: 'NL East', rank: 1, of: 5 },
        },
        lastGames: [],
        nextGame: null,
      });
    });

    it('counts NFL ties as half a win and orders level teams that never met by point differential', async () => {
      const mia = await dashboard('nfl-mia');
      expect(mia.season).toBe('2026');
      expect(mia.record).toEqual({
        wins: 0,
        losses: 0,
        ties: 2,
        gamesPlayed: 2,
        winPercentage: 0.5,
        points: null,
        pointsFor: 47,
        pointsAgainst: 47,
        differential: 0,
      });
      expect(mia.standing).toEqual({
        league: { name: 'NFL', rank: 2, of: 32 },
        conference: { name: 'AFC', rank: 2, of: 16 },
        division: { name: 'AFC East', rank: 2, of: 4 },
        tieBreak: percentageRule,
      });
      expect(externalIds(mia.lastGames)).toEqual(['fx-nfl-n4', 'fx-nfl-n1']);
      const buf = await dashboard('nfl-buf');
      expect(buf.record).toMatchObject({ wins: 1, losses: 0, ties: 1, winPercentage: 0.75 });
      expect(buf.standing.league.rank).toBe(1);
      const ne = await dashboard('nfl-ne');
      expect(ne.record).toMatchObject({ wins: 1, losses: 1, ties: 0, winPercentage: 0.5, differential: -4 });
      expect(ne.standing.league.rank).toBe(3);
      expect((await dashboard('nfl-nyj')).record).toMatchObject({ wins: 0, losses: 1, ties: 1, winPercentage: 0.25 });
    });

    it('ranks the Premier League by points, then goal difference, as one table', async () => {
      const ars = await dashboard('epl-ars');
      expect(ars.season).toBe('2026-27');
      expect(ars.record).toEqual({
        wins: 1,
        losses: 1,
        ties: 1,
        gamesPlayed: 3,
        winPercentage: 0.5,
        points: 4,
        pointsFor: 5,
        pointsAgainst: 3,
        differential: 2,
      });
      expect(ars.standing).toEqual({
        league: { name: 'PREMIER_LEAGUE', rank: 2, of: 20 },
        conference: null,
        division: null,
        tieBreak: pointsRule,
      });
      const liv = await dashboard('epl-liv');
      expect(liv.record).toMatchObject({ points: 4, differential: 3 });
      expect(liv.standing.league.rank).toBe(1);
      expect((await dashboard('epl-mci')).standing.league.rank).toBe(3);
      expect((await dashboard('epl-che')).standing.league.rank).toBe(4);
      expect(await dashboard('epl-avl')).toMatchObject({
        record: { points: 0, gamesPlayed: 0 },
        standing: { league: { name: 'PREMIER_LEAGUE', rank: 6, of: 20 }, conference: null, division: null },
        nextGame: null,
      });
    });

    it('answers the same dashboard over REST, and 404 for an unknown team', async () => {
      const rest = await app.fetch('/api/v1/teams/nba-bos/dashboard', { as: FAN });
      expect(rest.status).toBe(200);
      const body = (await rest.json()) as { record: unknown; standing: unknown; lastGames: unknown; nextGame: unknown };
      const trpc = await dashboard('nba-bos');
      expect(body).toMatchObject({ record: trpc.record, standing: trpc.standing, lastGames: trpc.lastGames, nextGame: trpc.nextGame });
      const missing = await app.fetch('/api/v1/teams/nba-xyz/dashboard', { as: FAN });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
