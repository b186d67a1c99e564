import { loadSummaryCandidates, type PrismaClient, type SummaryLength, type Team } from '@pressbox/db';
import { inputVersion, selectArticles, type SummaryArticle, type SummaryInput } from '../summaries/index.ts';

export type TeamSummaryInput =
  { kind: 'empty'; inputVersion: null } | { kind: 'ready'; input: SummaryInput; articleIds: string[]; inputVersion: string };

/** What a summary says about its team. */
export type SummaryTeam = Pick<Team, 'id' | 'name' | 'shortName' | 'league'>;

/**
 * The grounding set of a team's summary right now: its newest articles, selected and bounded for
 * the length, and the input version that names that exact set. The API and the worker both call
 * this, so they agree on which summary is current.
 *
 * @example
 * const loaded = await loadTeamSummaryInput(prisma, team, 'MEDIUM');
 * if (loaded.kind === 'ready') console.log(loaded.inputVersion, loaded.articleIds);
 */
export async function loadTeamSummaryInput(prisma: PrismaClient, team: SummaryTeam, length: SummaryLength): Promise<TeamSummaryInput> {
  return teamSummaryInput(team, length, await loadSummaryCandidates(prisma, team.id));
}

/** The selection and input version of `loadTeamSummaryInput`, from candidates already loaded. */
export function teamSummaryInput(team: SummaryTeam, length: SummaryLength, candidates: readonly SummaryArticle[]): TeamSummaryInput {
  const selected = selectArticles(candidates, length);
  if (selected.length === 0) return { kind: 'empty', inputVersion: null };
  const articleIds = selected.map((article) => article.id);
  return {
    kind: 'ready',
    input: { team: { id: team.id, name: team.name, shortName: team.shortName, league: team.league }, length, articles: selected },
    articleIds,
    inputVersion: inputVersion(articleIds),
  };
}
