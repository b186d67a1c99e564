import { Digest, FetchOutcome, GameStatus, League, MatchedBy, Role, SourceKind, SourceStatus, SummaryLength } from '@pressbox/db';
import { z } from 'zod';

/**
 * Zod enums built from the Prisma enums, so schema.prisma is the only place a value is added.
 * Each carries an OpenAPI component id so `openapi.json` shows one named enum per kind.
 */
export const leagueSchema = z.enum(League).meta({ id: 'League' });
export const roleSchema = z.enum(Role).meta({ id: 'Role' });
export const summaryLengthSchema = z.enum(SummaryLength).meta({ id: 'SummaryLength' });
export const digestSchema = z.enum(Digest).meta({ id: 'Digest' });
export const sourceKindSchema = z.enum(SourceKind).meta({ id: 'SourceKind' });
export const sourceStatusSchema = z.enum(SourceStatus).meta({ id: 'SourceStatus' });
export const matchedBySchema = z.enum(MatchedBy).meta({ id: 'MatchedBy' });
export const gameStatusSchema = z.enum(GameStatus).meta({ id: 'GameStatus' });
export const fetchOutcomeSchema = z.enum(FetchOutcome).meta({ id: 'FetchOutcome' });

/** Every enum that crosses the API, by its Prisma name: the enum-agreement test walks this. */
export const apiEnums = {
  League: leagueSchema,
  Role: roleSchema,
  SummaryLength: summaryLengthSchema,
  Digest: digestSchema,
  SourceKind: sourceKindSchema,
  SourceStatus: sourceStatusSchema,
  MatchedBy: matchedBySchema,
  GameStatus: gameStatusSchema,
  FetchOutcome: fetchOutcomeSchema,
} as const;
