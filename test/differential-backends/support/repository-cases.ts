import * as dashboard from '../../../prisma/src/repositories/dashboard.ts';
import * as events from '../../../prisma/src/repositories/events.ts';
import * as feedEntries from '../../../prisma/src/repositories/feed-entries.ts';
import * as games from '../../../prisma/src/repositories/games.ts';
import * as news from '../../../prisma/src/repositories/news.ts';
import * as preferences from '../../../prisma/src/repositories/preferences.ts';
import * as sourceFetches from '../../../prisma/src/repositories/source-fetches.ts';
import * as sources from '../../../prisma/src/repositories/sources.ts';
import * as stories from '../../../prisma/src/repositories/stories.ts';
import * as summaries from '../../../prisma/src/repositories/summaries.ts';
import * as teams from '../../../prisma/src/repositories/teams.ts';
import * as users from '../../../prisma/src/repositories/users.ts';
import type { RepositoryCase } from './case.ts';
import { contentCases } from './cases-content.ts';
import { gameAndEventCases } from './cases-games-events.ts';
import { peopleCases } from './cases-people.ts';
import { sourceCases } from './cases-sources.ts';

/** Every repository module, as its file exports it. */
export const repositoryModules = {
  dashboard,
  events,
  'feed-entries': feedEntries,
  games,
  news,
  preferences,
  'source-fetches': sourceFetches,
  sources,
  stories,
  summaries,
  teams,
  users,
};

/** The names of every function the repository modules export (what must have a case). */
export function exportedFunctions(): string[] {
  return Object.values(repositoryModules)
    .flatMap((module) => Object.entries(module as Record<string, unknown>).filter(([, value]) => typeof value === 'function'))
    .map(([name]) => name)
    .sort();
}

/** One case per exported function, keyed by its name. */
export const repositoryCases: Record<string, RepositoryCase> = { ...sourceCases, ...peopleCases, ...gameAndEventCases, ...contentCases };

/** The cases in the order they run: by phase, then as listed. */
export function orderedCases(): [string, RepositoryCase][] {
  return Object.entries(repositoryCases)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry[1].phase - b.entry[1].phase || a.index - b.index)
    .map(({ entry }) => entry);
}
