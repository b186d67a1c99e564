import { AppError } from '@pressbox/db';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.ts';
import { asOutageError, outageOf } from '../infra/outages/index.ts';
import { errorBodyFor, fromAppError } from './errors.ts';
import type { Meta } from './meta.ts';
import { currentRequest } from '../request-context.ts';

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    /**
     * REST callers get exactly the documented error body. tRPC callers keep tRPC's envelope (a
     * numeric JSON-RPC code that `@trpc/client` relies on) with the same fields under `data`.
     * No stack traces in either.
     */
    errorFormatter({ shape, error, ctx }) {
      const body = errorBodyFor(error, ctx?.requestId);
      if (currentRequest()?.transport === 'rest') return body;
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
 * domain errors to their codes (and an unreachable database or Redis to 503 with Retry-After), reads
 * an absent input as `{}`
 * and, for REST calls, decodes percent-encoded path parameters (trpc-to-openapi hands them over
 * still encoded).
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
  })
  .use(async function decodeRestPathParameters({ ctx, meta, getRawInput, next }) {
    const path = meta?.openapi?.path;
    if (ctx.transport !== 'rest' || !path?.includes('{')) return next();
    const raw = await getRawInput();
    if (typeof raw !== 'object' || raw === null) return next();
    const decoded: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
      const value = name === undefined ? undefined : decoded[name];
      if (name === undefined || typeof value !== 'string') continue;
      try {
        decoded[name] = decodeURIComponent(value);
      } catch {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `Path parameter ${name} is not valid percent-encoding` });
      }
    }
    return next({ getRawInput: () => Promise.resolve(decoded) });
  });

export { TRPCError };
