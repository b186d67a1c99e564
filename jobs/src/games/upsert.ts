import { Prisma, uuidv7, type PrismaClient } from '@pressbox/db';
import { z } from 'zod';
import type { GameRecord } from './validate.ts';

export interface UpsertOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Teams of every inserted or updated game, including the teams an update moved a game away from; sorted. */
  changedTeamIds: string[];
}

/** Rows per statement: 10 parameters each, far below Postgres' 65,535. */
const CHUNK = 500;
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 60_000 } as const;

const writtenRow = z.object({
  externalId: z.string(),
  homeTeamId: z.string(),
  awayTeamId: z.string(),
  inserted: z.boolean(),
  previousHomeTeamId: z.string().nullable(),
  previousAwayTeamId: z.string().nullable(),
});

/**
 * Writes games by `externalId` in ONE transaction, a single INSERT ... ON CONFLICT DO UPDATE per
 * chunk. The update only happens when a value differs (IS DISTINCT FROM), so a re-import
 * rewrites nothing and counts as unchanged. Rows go in sorted by externalId: two imports touching
 * the same games lock them in the same order, so concurrent runs neither deadlock nor collide on
 * the unique index; the later one waits and then finds nothing to change.
 *
 * @example
 * const { inserted, changedTeamIds } = await upsertGames(prisma, records);
 */
export async function upsertGames(prisma: PrismaClient, records: readonly GameRecord[]): Promise<UpsertOutcome> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0, changedTeamIds: [] };
  const sorted = [...records].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  return prisma.$transaction(async (tx) => {
    const outcome = { inserted: 0, updated: 0, unchanged: 0 };
    const teams = new Set<string>();
    for (let start = 0; start < sorted.length; start += CHUNK) {
      const chunk = sorted.slice(start, start + CHUNK);
      const written = z.array(writtenRow).parse(await tx.$queryRaw(upsertStatement(chunk)));
      for (const row of written) {
        outcome[row.inserted ? 'inserted' : 'updated'] += 1;
        for (const id of [row.homeTeamId, row.awayTeamId, row.previousHomeTeamId, row.previousAwayTeamId]) if (id !== null) teams.add(id);
      }
      outcome.unchanged += chunk.length - written.length;
    }
    return { ...outcome, changedTeamIds: [...teams].sort() };
  }, TRANSACTION_OPTIONS);
}

/**
 * `previous` reads the rows as they were before this statement (same snapshot), so an update that
 * moves a game to other teams also reports the teams it left. `xmax = 0` holds only for a row
 * this statement inserted.
 */
function upsertStatement(chunk: readonly GameRecord[]): Prisma.Sql {
  const values = Prisma.join(
    chunk.map(
      (game) =>
        Prisma.sql`(${uuidv7()}::uuid, ${game.externalId}, ${game.league}::"League", ${game.season}, ${game.homeTeamId}, ${game.awayTeamId}, ${game.startsAt.toISOString()}::timestamptz, ${game.status}::"GameStatus", ${game.homeScore}::int, ${game.awayScore}::int, CURRENT_TIMESTAMP)`,
    ),
  );
  const ids = Prisma.join(chunk.map((game) => game.externalId));
  return Prisma.sql`
    WITH previous AS (
      SELECT "externalId", "homeTeamId", "awayTeamId" FROM "Game" WHERE "externalId" IN (${ids})
    ), written AS (
      INSERT INTO "Game" ("id", "externalId", "league", "season", "homeTeamId", "awayTeamId", "startsAt", "status", "homeScore", "awayScore", "updatedAt")
      VALUES ${values}
      ON CONFLICT ("externalId") DO UPDATE SET
        "league" = EXCLUDED."league",
        "season" = EXCLUDED."season",
        "homeTeamId" = EXCLUDED."homeTeamId",
        "awayTeamId" = EXCLUDED."awayTeamId",
        "startsAt" = EXCLUDED."startsAt",
        "status" = EXCLUDED."status",
        "homeScore" = EXCLUDED."homeScore",
        "awayScore" = EXCLUDED."awayScore",
        "updatedAt" = CURRENT_TIMESTAMP
      WHERE ("Game"."league", "Game"."season", "Game"."homeTeamId", "Game"."awayTeamId", "Game"."startsAt", "Game"."status", "Game"."homeScore", "Game"."awayScore")
        IS DISTINCT FROM (EXCLUDED."league", EXCLUDED."season", EXCLUDED."homeTeamId", EXCLUDED."awayTeamId", EXCLUDED."startsAt", EXCLUDED."status", EXCLUDED."homeScore", EXCLUDED."awayScore")
      RETURNING "externalId", "homeTeamId", "awayTeamId", (xmax = 0) AS "inserted"
    )
    SELECT written."externalId", written."homeTeamId", written."awayTeamId", written."inserted",
      previous."homeTeamId" AS "previousHomeTeamId", previous."awayTeamId" AS "previousAwayTeamId"
    FROM written LEFT JOIN previous ON previous."externalId" = written."externalId"`;
}
