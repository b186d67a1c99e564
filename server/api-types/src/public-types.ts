/**
 * The names the published router types give to the shapes a frontend handles most. The generator
 * prints each alias below as a plain structural type (no Zod, no server types) and uses its name
 * wherever the same shape appears in a procedure's input or output; leaves come first. The
 * documentation comment of each alias is carried over.
 */
import type { TRPC_ERROR_CODE_NUMBER } from '@trpc/server';
import type { z } from 'zod';
import type { eventTypeSchema, newsItemSchema, storedEventSchema } from '../../../jobs/src/events/schema.ts';
import type { jobSchema } from '../../src/schemas/job.ts';
import type { dashboardSchema } from '../../src/schemas/dashboard.ts';
import type { leagueSchema, summaryLengthSchema } from '../../src/schemas/enums.ts';
import type { errorBodySchema, issueSchema } from '../../src/schemas/error.ts';
import type { gameSchema } from '../../src/schemas/game.ts';
import type { meSchema } from '../../src/schemas/me.ts';
import type { preferencesSchema } from '../../src/schemas/preferences.ts';
import type { sourceSchema } from '../../src/schemas/source.ts';
import type { jobAcceptedSchema, summarySchema } from '../../src/schemas/summary.ts';
import type { teamSchema } from '../../src/schemas/team.ts';

/** A league Pressbox follows. */
export type League = z.output<typeof leagueSchema>;
export type SummaryLength = z.output<typeof summaryLengthSchema>;
export type EventType = z.output<typeof eventTypeSchema>;
/** The stable error codes of every error body (`error.data.code` over tRPC). */
export type ErrorCode = z.output<typeof errorBodySchema>['code'];
/** A validation problem of the input: where (`path`) and what (`message`). */
export type ValidationIssue = z.output<typeof issueSchema>;
/** The body of every REST error response. */
export type ErrorBody = z.output<typeof errorBodySchema>;
/** What `TRPCClientError#data` holds: the REST error body's fields, plus tRPC's `httpStatus` and `path`. */
export type ErrorData = ErrorBody & { httpStatus: number; path?: string | undefined };
/** tRPC's error envelope as Pressbox formats it. */
export type ErrorShape = { code: TRPC_ERROR_CODE_NUMBER; message: string; data: ErrorData };
/** The signed-in user (`me.get`). */
export type Me = z.output<typeof meSchema>;
export type Team = z.output<typeof teamSchema>;
/** A news article as lists and `news.created` events carry it. */
export type NewsItem = z.output<typeof newsItemSchema>;
export type Game = z.output<typeof gameSchema>;
/** `teams.dashboard`: record, standing, recent and next games, news volume, top sources, summary status. */
export type Dashboard = z.output<typeof dashboardSchema>;
export type Preferences = z.output<typeof preferencesSchema>;
/** A feed source (admins). */
export type Source = z.output<typeof sourceSchema>;
/** A grounded summary of a team's latest news; every bullet cites article ids. */
export type Summary = z.output<typeof summarySchema>;
/** Background work was accepted: poll `jobs.get` with `jobId`. */
export type JobAccepted = z.output<typeof jobAcceptedSchema>;
export type Job = z.output<typeof jobSchema>;
/** What a subscription delivers as `data`: `{ id, type, teamId, at, data }`. */
export type PressboxEvent = z.output<typeof storedEventSchema>;

export type { AppRouter } from '../../src/router.ts';
