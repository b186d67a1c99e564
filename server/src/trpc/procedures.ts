import { TRPCError } from '@trpc/server';
import { errorMessages } from '../schemas/error.ts';
import { baseProcedure } from './init.ts';
import { releasingOnEnd } from './live-subscriptions.ts';
import { nulInputError } from './text-input.ts';

/** True for a subscription's event stream (what a procedure returns to be followed). */
export const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * A procedure for any signed-in user. With `adminProcedure` this is the only way to declare
 * a procedure, so none can forget to check access: a missing or invalid token is a 401 and
 * each user is held to the per-user rate limit. Then no input string may hold U+0000 (see
 * `nulInputError`): a 400 like any validation error, before the schema. Over WebSocket it also
 * takes a subscription slot.
 */
export const protectedProcedure = baseProcedure.meta({ access: 'member' }).use(async function requireMember({
  ctx,
  type,
  signal,
  getRawInput,
  next,
}) {
  const session = ctx.session;
  if (!session) {
    ctx.res?.setHeader('WWW-Authenticate', 'Bearer realm="pressbox"');
    throw new TRPCError({ code: 'UNAUTHORIZED', message: errorMessages.UNAUTHORIZED });
  }
  const limit = ctx.services.config.rateLimits.userPerMinute;
  if (limit > 0) {
    const decision = await ctx.services.rateLimiter.consume(`user:${session.userId}`, limit).catch(() => undefined);
    if (decision && !decision.allowed) {
      ctx.res?.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: errorMessages.TOO_MANY_REQUESTS });
    }
  }
  const nul = nulInputError(await getRawInput());
  if (nul) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Input validation failed', cause: nul });
  const user = await ctx.services.users.ensure(session);
  // A WebSocket connection holds a bounded number of subscriptions, and so does each user.
  if (type !== 'subscription' || !ctx.subscriptions) return next({ ctx: { session, user } });
  const slot = ctx.subscriptions.take(session.userId);
  if ('refusal' in slot) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: slot.refusal });
  signal?.addEventListener('abort', slot.release, { once: true });
  const result = await next({ ctx: { session, user } });
  if (!result.ok) slot.release();
  else if (isAsyncIterable(result.data)) return { ...result, data: releasingOnEnd(result.data, slot.release) };
  return result;
});

/** A procedure only admins may call; members get 403. */
export const adminProcedure = protectedProcedure.meta({ access: 'admin' }).use(function requireAdmin({ ctx, next }) {
  if (ctx.user.role !== 'ADMIN') throw new TRPCError({ code: 'FORBIDDEN', message: 'This procedure is for admins' });
  return next();
});
