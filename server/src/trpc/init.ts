import { AppError } from '@pressbox/db';
import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from '@trpc/server';
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
export const middleware = t.middleware;

/** The code a failed call answers with: domain errors get their own, an outage is a 503 with Retry-After. */
function mapFailure(ctx: Context, error: TRPCError): TRPCError | undefined {
  const outage = outageOf(error.cause);
  if (outage) ctx.services.outages[outage].down(error.cause);
  const cause = asOutageError(error.cause) ?? error.cause;
  if (cause instanceof AppError && cause.retryAfterSeconds !== undefined)
    ctx.res?.setHeader('Retry-After', String(cause.retryAfterSeconds));
  return fromAppError(cause);
}

/**
 * The base of every procedure, one middleware (each one more costs every call): runs the calls of
 * one request a few at a time (see CallTurns), reads an absent input as `{}`, maps domain errors
 * to their codes (and an unreachable database or Redis to 503 with Retry-After) and measures the call.
 */
export const baseProcedure = t.procedure.use(async function callProcedure({ ctx, path, type, getRawInput, next }) {
  const started = performance.now();
  const observe = (outcome: string) => {
    if (type !== 'subscription')
      ctx.services.metrics.procedureDuration.observe(
        { procedure: path, transport: ctx.transport, outcome },
        (performance.now() - started) / 1000,
      );
  };
  // A client may leave out an input whose every field is optional (`trpc.me.get.query()`).
  const call = async () => ((await getRawInput()) === undefined ? next({ getRawInput: () => Promise.resolve({}) }) : next());
  let result: Awaited<ReturnType<typeof call>>;
  try {
    result = type === 'subscription' || !ctx.turns ? await call() : await ctx.turns.run(call);
  } catch (cause) {
    observe(getTRPCErrorFromUnknown(cause).code);
    throw cause;
  }
  if (result.ok) {
    observe('ok');
    return result;
  }
  const mapped = mapFailure(ctx, result.error);
  observe((mapped ?? result.error).code);
  if (mapped) throw mapped;
  return result;
});

export { TRPCError };
