import type { MatchedBy, Team } from '@pressbox/db';

/** What league-wide tagging needs from a team row. */
export type TeamNames = Pick<Team, 'id' | 'name' | 'shortName' | 'aliases'>;

export interface TeamMatch {
  teamId: string;
  matchedBy: Extract<MatchedBy, 'NAME' | 'ALIAS'>;
}

/**
 * A word: letters, marks, digits and connector punctuation, joined across an apostrophe or a period
 * between them ("C's", "U.S", "3.5"), as Unicode word segmentation (UAX #29) joins them for the
 * scripts team names are written in. One regular expression pass: Intl.Segmenter was 15 times slower
 * and dominated tagging.
 */
// eslint-disable-next-line security/detect-unsafe-regex -- linear: the separators are not word characters, so every input splits one way
const WORD = /[\p{L}\p{M}\p{N}\p{Pc}]+(?:['.][\p{L}\p{M}\p{N}\p{Pc}]+)*/gu;

/** Case-folded words of a text, with typographic apostrophes made plain ("C’s" = "C's"). */
function words(text: string): string[] {
  const normalized = text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLocaleLowerCase('und');
  const result: string[] = [];
  for (const [word] of normalized.matchAll(WORD)) {
    // "Arsenal's" is one word; the possessive must not hide the name. Short words keep it, so an
    // alias like "C's" still matches itself.
    result.push(word.length > 3 && word.endsWith("'s") ? word.slice(0, -2) : word);
  }
  return result;
}

function containsPhrase(haystack: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0 || phrase.length > haystack.length) return false;
  outer: for (let start = 0; start <= haystack.length - phrase.length; start++) {
    for (let offset = 0; offset < phrase.length; offset++) {
      if (haystack[start + offset] !== phrase[offset]) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * A matcher for league-wide sources: which teams a headline or summary names. Matching is on
 * whole words (Unicode word boundaries, so "Nets" does not match "Hornets" and "Atlético" works),
 * case-insensitive. The full name counts as NAME; the short name and aliases as ALIAS.
 *
 * @example
 * const match = teamMatcher(nbaTeams);
 * match('Celtics beat the Knicks'); // [{ teamId: 'nba-bos', matchedBy: 'ALIAS' }, { teamId: 'nba-nyk', matchedBy: 'ALIAS' }]
 */
export function teamMatcher(teams: readonly TeamNames[]): (text: string) => TeamMatch[] {
  const prepared = teams.map((team) => ({
    id: team.id,
    name: words(team.name),
    aliases: [team.shortName, ...team.aliases].map(words).filter((alias) => alias.length > 0),
  }));
  return (text) => {
    const haystack = words(text);
    const matches: TeamMatch[] = [];
    for (const team of prepared) {
      if (containsPhrase(haystack, team.name)) matches.push({ teamId: team.id, matchedBy: 'NAME' });
      else if (team.aliases.some((alias) => containsPhrase(haystack, alias))) matches.push({ teamId: team.id, matchedBy: 'ALIAS' });
    }
    return matches;
  };
}
