import { GameStatus, League } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import { gameStatuses, gameStatusSynonyms, leagues, leagueSynonyms, normalizeEnumText, toGameStatus, toLeague } from './mapping.ts';

describe('game status mapping', () => {
  it('lists exactly the statuses the schema declares', () => {
    expect(gameStatuses).toEqual(['SCHEDULED', 'IN_PROGRESS', 'FINAL', 'POSTPONED', 'CANCELED']);
    expect(gameStatuses).toEqual(Object.values(GameStatus));
  });

  it.each(Object.values(GameStatus))('maps %s to itself, in any case', (status) => {
    expect(toGameStatus(status)).toBe(status);
    expect(toGameStatus(status.toLowerCase())).toBe(status);
    expect(toGameStatus(` ${status.toLowerCase().replace(/_/g, ' ')} `)).toBe(status);
  });

  it.each([
    ['final', 'FINAL'],
    ['F', 'FINAL'],
    ['ft', 'FINAL'],
    ['Full Time', 'FINAL'],
    ['full-time', 'FINAL'],
    ['completed', 'FINAL'],
    ['in progress', 'IN_PROGRESS'],
    ['In-Progress', 'IN_PROGRESS'],
    ['in_progress', 'IN_PROGRESS'],
    ['LIVE', 'IN_PROGRESS'],
    ['scheduled', 'SCHEDULED'],
    ['pre', 'SCHEDULED'],
    ['Upcoming', 'SCHEDULED'],
    ['not started', 'SCHEDULED'],
    ['postponed', 'POSTPONED'],
    ['PPD', 'POSTPONED'],
    ['canceled', 'CANCELED'],
    ['Cancelled', 'CANCELED'],
  ])('maps the synonym %j to %s', (text, status) => {
    expect(toGameStatus(text)).toBe(status);
  });

  it.each(['FULLTIME', 'done', '', '  ', 'FINAL!', 'constructor', '__proto__'])('knows no status %j', (text) => {
    expect(toGameStatus(text)).toBeUndefined();
  });

  it('maps every synonym to a value the schema declares', () => {
    for (const status of gameStatusSynonyms.values()) expect(gameStatuses).toContain(status);
    for (const key of gameStatusSynonyms.keys()) expect(normalizeEnumText(key)).toBe(key);
  });
});

describe('league mapping', () => {
  it('lists exactly the leagues the schema declares', () => {
    expect(leagues).toEqual(['NBA', 'NFL', 'MLB', 'NHL', 'PREMIER_LEAGUE']);
    expect(leagues).toEqual(Object.values(League));
  });

  it.each(Object.values(League))('maps %s to itself, in any case', (league) => {
    expect(toLeague(league)).toBe(league);
    expect(toLeague(league.toLowerCase())).toBe(league);
  });

  it.each([
    ['nba', 'NBA'],
    ['Nfl', 'NFL'],
    ['mlb', 'MLB'],
    ['nhl', 'NHL'],
    ['EPL', 'PREMIER_LEAGUE'],
    ['epl', 'PREMIER_LEAGUE'],
    ['Premier League', 'PREMIER_LEAGUE'],
    ['premier-league', 'PREMIER_LEAGUE'],
    ['premier_league', 'PREMIER_LEAGUE'],
  ])('maps %j to %s', (text, league) => {
    expect(toLeague(text)).toBe(league);
  });

  it.each(['XFL', 'MLS', 'premier', ''])('knows no league %j', (text) => {
    expect(toLeague(text)).toBeUndefined();
  });

  it('maps every synonym to a value the schema declares', () => {
    for (const league of leagueSynonyms.values()) expect(leagues).toContain(league);
  });
});

describe('normalizing enum text', () => {
  it('upper-cases and joins words with one underscore', () => {
    expect(normalizeEnumText('  in -  progress ')).toBe('IN_PROGRESS');
  });
});
