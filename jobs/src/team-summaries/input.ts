import type { PrismaClient, SummaryLength, Team } from '@pressbox/db';
import { inputVersion, selectArticles, type SummaryInput } from '../summaries/index.ts';

/** How many of a team's newest articles the selection chooses from. */
const CANDIDATES = 60;

export type TeamSummaryInput =
  { kind: 'empty'; inputVersion: null } | { kind: 'ready'; input: SummaryInput; articleIds: string[]; inputVersion: string };

/**
 * The grounding set of a team's summary right now: its newest articles, selected and bounded for
 * the length, and the input version that names that exact set. The API and the worker both call
 * this, so they agree on which summary is current.
 */
export async function loadTeamSummaryInput(prisma: PrismaClient, team: Team, length: SummaryLength): Promise<TeamSummaryInput> {
  const tags = await prisma.articleTeam.findMany({
    where: { teamId: team.id },
    orderBy: [{ publishedAt: 'desc' }, { articleId: 'desc' }],
    take: CANDIDATES,
    select: {
      article: { select: { id: true, title: true, summary: true, publishedAt: true, source: { select: { name: true } } } },
    },
  });
  const articles = tags.map(({ article }) => ({
    id: article.id,
    title: article.title,
    summary: article.summary ?? '',
    publishedAt: article.publishedAt,
    sourceName: article.source.name,
  }));
  const selected = selectArticles(articles, length);
  if (selected.length === 0) return { kind: 'empty', inputVersion: null };
  const articleIds = selected.map((article) => article.id);
  return {
    kind: 'ready',
    input: { team: { id: team.id, name: team.name, shortName: team.shortName, league: team.league }, length, articles: selected },
    articleIds,
    inputVersion: inputVersion(articleIds),
  };
}
