import { AppError, listTeamGames, type GameStatus, type Page, type PrismaClient } from '@pressbox/db';
import { importGames, normalizeSeason, type EventBus, type Rejection } from '@pressbox/jobs';
import { toGameDto, type GameDto } from '../schemas/game.ts';
import type { TeamDirectory } from './team-directory.ts';

export interface GamesDeps {
  prisma: PrismaClient;
  teams: TeamDirectory;
  events: EventBus;
}

/** A page of a team's games, newest first; BAD_REQUEST for a season that is not one. */
export async function teamGames(
  deps: Pick<GamesDeps, 'prisma' | 'teams'>,
  query: { teamId: string; season?: string | undefined; status?: GameStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<GameDto>> {
  deps.teams.require(query.teamId);
  const season = query.season === undefined ? undefined : normalizeSeason(query.season);
  if (query.season !== undefined && season === undefined)
    throw new AppError('BAD_REQUEST', `${query.season} is not a season (2025, 2025-26 or 2025-2026)`);
  const page = await listTeamGames(deps.prisma, { ...query, season });
  return { items: page.items.map(toGameDto), nextCursor: page.nextCursor };
}

export interface GameImportReport {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
}

/**
 * Imports games from CSV text or JSON rows; the dashboards and standings it moved are announced
 * by events committed with the games, published here at once.
 */
export async function importGameFile(
  deps: GamesDeps,
  file: { csv?: string | undefined; rows?: Record<string, unknown>[] | undefined },
): Promise<GameImportReport> {
  const content = file.csv ?? JSON.stringify(file.rows ?? []);
  if (content.trim() === '') throw new AppError('BAD_REQUEST', 'The import is empty');
  const result = await importGames(deps.prisma, { format: file.csv === undefined ? 'json' : 'csv', content });
  await deps.events.publishCommitted();
  return {
    total: result.total,
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    rejected: result.rejected,
  };
}
