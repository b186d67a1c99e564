import { AppError } from '@pressbox/db';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.ts';
import { asOutageError, outageOf } from '../infra/outages/index.ts';
import { errorBodyFor, fromAppError } from './errors.ts';
import type { Meta } from './meta.ts';

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    /**
     * tRPC keeps its envelope (a numeric JSON-RPC code that `@trpc/client` relies on) with the
     * documented error body under `data`, from the same `errorBodyFor` REST answers with. No
     * stack traces.
     */
    errorFormatter({ shape, error, ctx }) {
      const body = errorBodyFor(error, ctx?.requestId);
      return {
        code: shape.code,
        message: body.message,
        data: { ...body, httpStatus: shape.data.httpStatus, path: shape.data.path },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/**
 * The base of every procedure: runs the calls of one request a few at a time (see CallTurns), maps
 * domain errors to their codes (and an unreachable database or Redis to 503 with Retry-After) and
 * reads an absent input as `{}`.
 */
export const baseProcedure = t.procedure
  .use(async function measure({ ctx, path, type, next }) {
    if (type === 'subscription') return next();
    const started = performance.now();
    const result = await next();
    ctx.services.metrics.procedureDuration.observe(
      { procedure: path, transport: ctx.transport, outcome: result.ok ? 'ok' : result.error.code },
      (performance.now() - started) / 1000,
    );
    return result;
  })
  .use(function takeTurn({ ctx, type, next }) {
    if (type === 'subscription' || !ctx.turns) return next();
    return ctx.turns.run(() => next());
  })
  .use(async function mapDomainErrors({ ctx, next }) {
    const result = await next();
    if (!result.ok) {
      const outage = outageOf(result.error.cause);
      if (outage) ctx.services.outages[outage].down(result.error.cause);
      const cause = asOutageError(result.error.cause) ?? result.error.cause;
      const mapped = fromAppError(cause);
      if (cause instanceof AppError && cause.retryAfterSeconds !== undefined)
        ctx.res?.setHeader('Retry-After', String(cause.retryAfterSeconds));
      if (mapped) throw mapped;
    }
    return result;
  })
  .use(async function absentInputIsEmpty({ getRawInput, next }) {
    // A client may leave out an input whose every field is optional (`trpc.me.get.query()`).
    if ((await getRawInput()) !== undefined) return next();
    return next({ getRawInput: () => Promise.resolve({}) });
  });

export { TRPCError };
