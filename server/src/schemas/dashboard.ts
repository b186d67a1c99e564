import { z } from 'zod';
import { isoDateTime } from './common.ts';
import { sourceStatusSchema, summaryLengthSchema } from './enums.ts';
import { gameSchema } from './game.ts';

const rank = z.object({
  name: z.string().meta({ description: 'The league (enum value), conference or division', examples: ['NBA', 'Eastern', 'Atlantic'] }),
  rank: z.number().int().meta({ description: '1-based place in that table; every team has a distinct one' }),
  of: z.number().int().meta({ description: 'Teams in that table, with or without games' }),
});

export const dashboardSchema = z
  .object({
    teamId: z.string(),
    season: z
      .string()
      .nullable()
      .meta({ description: 'The season of the team’s latest game, else the league’s current season; null while the league has no games' }),
    record: z.object({
      wins: z.number().int(),
      losses: z.number().int(),
      ties: z.number().int(),
      gamesPlayed: z.number().int(),
      winPercentage: z.number().meta({ description: '(W + 0.5·T) / GP; 0 without games' }),
      points: z
        .number()
        .int()
        .nullable()
        .meta({ description: 'Table points (3 per win, 1 per draw) for the Premier League; null elsewhere' }),
      pointsFor: z.number().int(),
      pointsAgainst: z.number().int(),
      differential: z.number().int(),
    }),
    standing: z.object({
      league: rank,
      conference: rank.nullable().meta({ description: 'Null for leagues ranked as one table (Premier League)' }),
      division: rank.nullable().meta({ description: 'Null for leagues ranked as one table (Premier League)' }),
      tieBreak: z.string().meta({ description: 'How teams level on record are ordered' }),
    }),
    lastGames: z.array(gameSchema).meta({ description: 'The last five FINAL games, newest first' }),
    nextGame: gameSchema.nullable(),
    newsVolume: z.array(z.object({ date: z.iso.date(), count: z.number().int() })).meta({
      description:
        'Stories per day for the last 14 days in your time zone, oldest first (a story several sources told counts once, on the day of its first telling)',
    }),
    timezone: z.string(),
    topSources: z
      .array(z.object({ id: z.string(), name: z.string(), count: z.number().int() }))
      .meta({ description: 'The five sources with the most articles in those 14 days, most first' }),
    summary: z.object({
      length: summaryLengthSchema,
      status: z
        .enum(['fresh', 'stale', 'missing'])
        .meta({ description: 'fresh: covers the latest news; stale: newer news exists; missing: none yet' }),
      generatedAt: isoDateTime.nullable(),
    }),
    followerCount: z.number().int(),
    sources: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          status: sourceStatusSchema,
          lastSuccessAt: isoDateTime.nullable().meta({ description: 'The last fetch that read the feed (stored or not modified)' }),
        }),
      )
      .meta({ description: 'Whether the feeds this team’s news comes from are healthy: its own sources and its league’s' }),
    computedAt: isoDateTime,
  })
  .meta({ id: 'Dashboard' });

export type DashboardDto = z.infer<typeof dashboardSchema>;
