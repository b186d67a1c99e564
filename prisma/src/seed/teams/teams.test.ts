import { describe, expect, it } from 'vitest';

import {
  allTeams,
  leaguePrefix,
  mlbTeams,
  nbaTeams,
  nflTeams,
  nhlTeams,
  premierLeagueTeams,
  type LeagueCode,
  type TeamSeed,
} from './index.ts';

const leagues: readonly LeagueCode[] = ['NBA', 'NFL', 'MLB', 'NHL', 'PREMIER_LEAGUE'];

const expectedCounts: Record<LeagueCode, number> = {
  NBA: 30,
  NFL: 32,
  MLB: 30,
  NHL: 32,
  PREMIER_LEAGUE: 20,
};

/** Expected structure for the North American leagues: conference -> divisions -> team count. */
const expectedStructure: Partial<Record<LeagueCode, Record<string, Record<string, number>>>> = {
  NBA: {
    Eastern: { Atlantic: 5, Central: 5, Southeast: 5 },
    Western: { Northwest: 5, Pacific: 5, Southwest: 5 },
  },
  NFL: {
    AFC: { 'AFC East': 4, 'AFC North': 4, 'AFC South': 4, 'AFC West': 4 },
    NFC: { 'NFC East': 4, 'NFC North': 4, 'NFC South': 4, 'NFC West': 4 },
  },
  MLB: {
    'American League': { 'AL East': 5, 'AL Central': 5, 'AL West': 5 },
    'National League': { 'NL East': 5, 'NL Central': 5, 'NL West': 5 },
  },
  NHL: {
    Eastern: { Atlantic: 8, Metropolitan: 8 },
    Western: { Central: 8, Pacific: 8 },
  },
};

const teamsOf = (league: LeagueCode): TeamSeed[] => allTeams.filter((t) => t.league === league);

const duplicates = (values: readonly string[]): string[] => {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) dupes.add(v);
    seen.add(v);
  }
  return [...dupes];
};

const norm = (s: string): string => s.trim().toLowerCase();

describe('team seed data', () => {
  it('allTeams is the concatenation of the league lists', () => {
    expect(allTeams).toEqual([...nbaTeams, ...nflTeams, ...mlbTeams, ...nhlTeams, ...premierLeagueTeams]);
    expect(nbaTeams.every((t) => t.league === 'NBA')).toBe(true);
    expect(nflTeams.every((t) => t.league === 'NFL')).toBe(true);
    expect(mlbTeams.every((t) => t.league === 'MLB')).toBe(true);
    expect(nhlTeams.every((t) => t.league === 'NHL')).toBe(true);
    expect(premierLeagueTeams.every((t) => t.league === 'PREMIER_LEAGUE')).toBe(true);
  });

  it.each(leagues)('%s has the expected number of teams', (league) => {
    expect(teamsOf(league)).toHaveLength(expectedCounts[league]);
  });

  it('has unique ids', () => {
    expect(duplicates(allTeams.map((t) => t.id))).toEqual([]);
  });

  it('ids follow the `${leaguePrefix}-${abbreviation}` slug rule', () => {
    for (const t of allTeams) {
      expect(t.id, t.name).toBe(`${leaguePrefix[t.league]}-${t.abbreviation.toLowerCase()}`);
      expect(t.id, t.name).toMatch(/^[a-z]+-[a-z]{2,3}$/);
    }
  });

  it('abbreviations are upper case and unique per league', () => {
    for (const league of leagues) {
      const teams = teamsOf(league);
      for (const t of teams) expect(t.abbreviation, t.name).toMatch(/^[A-Z]{2,3}$/);
      expect(duplicates(teams.map((t) => t.abbreviation)), league).toEqual([]);
    }
  });

  it('names and short names are non-empty and unique per league', () => {
    for (const league of leagues) {
      const teams = teamsOf(league);
      for (const t of teams) {
        expect(t.name.trim(), t.id).not.toBe('');
        expect(t.shortName.trim(), t.id).not.toBe('');
        expect(t.city.trim(), t.id).not.toBe('');
      }
      expect(duplicates(teams.map((t) => norm(t.name))), league).toEqual([]);
      expect(duplicates(teams.map((t) => norm(t.shortName))), league).toEqual([]);
    }
  });

  it('aliases exclude the full name and are not duplicated within a team', () => {
    for (const t of allTeams) {
      const aliases = t.aliases.map(norm);
      expect(aliases, t.id).not.toContain(norm(t.name));
      expect(duplicates(aliases), t.id).toEqual([]);
      for (const a of t.aliases) expect(a.trim(), t.id).not.toBe('');
    }
  });

  it.each(leagues)('%s: no alias is shared by two teams or equals another team’s name/shortName', (league) => {
    const teams = teamsOf(league);
    const owner = new Map<string, string>();
    for (const t of teams) {
      for (const a of t.aliases.map(norm)) {
        const prev = owner.get(a);
        expect(prev === undefined || prev === t.id, `alias "${a}" on ${prev} and ${t.id}`).toBe(true);
        owner.set(a, t.id);
      }
    }
    for (const t of teams) {
      for (const other of teams) {
        if (other.id === t.id) continue;
        const aliases = t.aliases.map(norm);
        expect(aliases, `${t.id} alias vs ${other.id} name`).not.toContain(norm(other.name));
        expect(aliases, `${t.id} alias vs ${other.id} shortName`).not.toContain(norm(other.shortName));
      }
    }
  });

  it('colours are 2-3 #RRGGBB hex values', () => {
    for (const t of allTeams) {
      expect(t.colors.length, t.id).toBeGreaterThanOrEqual(2);
      expect(t.colors.length, t.id).toBeLessThanOrEqual(3);
      for (const c of t.colors) expect(c, t.id).toMatch(/^#[0-9A-F]{6}$/);
      expect(duplicates(t.colors), t.id).toEqual([]);
    }
  });

  it('Premier League clubs have no conference or division', () => {
    for (const t of teamsOf('PREMIER_LEAGUE')) {
      expect(t.conference, t.id).toBeNull();
      expect(t.division, t.id).toBeNull();
    }
  });

  it.each(['NBA', 'NFL', 'MLB', 'NHL'] as const)('%s conferences and divisions are complete and balanced', (league) => {
    const structure = expectedStructure[league];
    if (structure === undefined) throw new Error(`no structure for ${league}`);
    const teams = teamsOf(league);

    const byConference: Record<string, Record<string, number>> = {};
    for (const t of teams) {
      expect(t.conference, t.id).not.toBeNull();
      expect(t.division, t.id).not.toBeNull();
      const conf = t.conference ?? '';
      const div = t.division ?? '';
      const divisions = (byConference[conf] ??= {});
      divisions[div] = (divisions[div] ?? 0) + 1;
    }
    expect(byConference).toEqual(structure);

    const half = teams.length / 2;
    for (const conference of Object.keys(structure)) {
      expect(
        teams.filter((t) => t.conference === conference),
        conference,
      ).toHaveLength(half);
    }
  });

  it('spot-checks well-known assignments', () => {
    const divisionOf = (id: string): string | null | undefined => allTeams.find((t) => t.id === id)?.division;
    const membersOf = (league: LeagueCode, division: string): string[] =>
      teamsOf(league)
        .filter((t) => t.division === division)
        .map((t) => t.abbreviation)
        .sort();

    expect(membersOf('NBA', 'Atlantic')).toEqual(['BKN', 'BOS', 'NYK', 'PHI', 'TOR']);
    expect(membersOf('NFL', 'AFC West')).toEqual(['DEN', 'KC', 'LAC', 'LV']);
    expect(membersOf('NHL', 'Central')).toEqual(['CHI', 'COL', 'DAL', 'MIN', 'NSH', 'STL', 'UTA', 'WPG'].sort());
    expect(divisionOf('nhl-uta')).toBe('Central');
    expect(allTeams.find((t) => t.id === 'nhl-uta')?.name).toBe('Utah Mammoth');
    const athletics = allTeams.find((t) => t.id === 'mlb-ath');
    expect(athletics?.name).toBe('Athletics');
    expect(athletics?.city).toBe('Sacramento');
    expect(divisionOf('mlb-ath')).toBe('AL West');
    expect(allTeams.find((t) => t.id === 'epl-mun')?.shortName).toBe('Man United');
  });
});
