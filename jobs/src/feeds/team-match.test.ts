import { describe, expect, it } from 'vitest';
import { teamMatcher, type TeamNames } from './team-match.ts';

const teams: TeamNames[] = [
  { id: 'nba-bos', name: 'Boston Celtics', shortName: 'Celtics', aliases: ['Celts', "C's"] },
  { id: 'nba-bkn', name: 'Brooklyn Nets', shortName: 'Nets', aliases: [] },
  { id: 'nba-cha', name: 'Charlotte Hornets', shortName: 'Hornets', aliases: ['Buzz City'] },
  { id: 'epl-ars', name: 'Arsenal', shortName: 'Arsenal', aliases: ['Gunners'] },
  { id: 'laliga-atm', name: 'Atlético Madrid', shortName: 'Atlético', aliases: ['Atleti'] },
];
const match = teamMatcher(teams);

describe('teamMatcher', () => {
  it('tags a full name as NAME', () => {
    expect(match('The Boston Celtics win again')).toEqual([{ teamId: 'nba-bos', matchedBy: 'NAME' }]);
  });

  it('tags a short name or alias as ALIAS', () => {
    expect(match('Celts rout the Nets')).toEqual([
      { teamId: 'nba-bos', matchedBy: 'ALIAS' },
      { teamId: 'nba-bkn', matchedBy: 'ALIAS' },
    ]);
  });

  it('matches whole words only', () => {
    expect(match('Hornets sting again')).toEqual([{ teamId: 'nba-cha', matchedBy: 'ALIAS' }]);
    expect(match('Cornets and clarinets')).toEqual([]);
  });

  it('is case-insensitive', () => {
    expect(match('GUNNERS TOP THE TABLE')).toEqual([{ teamId: 'epl-ars', matchedBy: 'ALIAS' }]);
  });

  it('handles non-ASCII names and Unicode normalisation', () => {
    expect(match('atlético madrid sign a striker')).toEqual([{ teamId: 'laliga-atm', matchedBy: 'NAME' }]);
    expect(match('Atle\u0301tico Madrid draw')).toEqual([{ teamId: 'laliga-atm', matchedBy: 'NAME' }]);
  });

  it('sees a name through a possessive', () => {
    expect(match("Arsenal's new signing")).toEqual([{ teamId: 'epl-ars', matchedBy: 'NAME' }]);
  });

  it('matches an alias with an apostrophe, typographic or not', () => {
    expect(match('The C’s are rolling')).toEqual([{ teamId: 'nba-bos', matchedBy: 'ALIAS' }]);
  });

  it('matches multi-word aliases as a phrase', () => {
    expect(match('Big night in Buzz City')).toEqual([{ teamId: 'nba-cha', matchedBy: 'ALIAS' }]);
    expect(match('City buzz is loud')).toEqual([]);
  });

  it("splits words at hyphens and needs a phrase's words side by side", () => {
    expect(match('Nets-Hornets preview')).toEqual([
      { teamId: 'nba-bkn', matchedBy: 'ALIAS' },
      { teamId: 'nba-cha', matchedBy: 'ALIAS' },
    ]);
    expect(match('Buzz Lightyear City')).toEqual([]);
    expect(match('Celticsfans rejoice')).toEqual([]);
  });
});
