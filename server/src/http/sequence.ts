import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';

export type Layer = RequestHandler | ErrorRequestHandler;

/**
 * Several middlewares as one Express layer, run in order with Express's own rules: `next(error)`
 * skips to the next error handler (a four-argument layer), a rejected promise is an error, and
 * what is left after the last layer goes on to the app. Express's router matches and unwinds every
 * layer it holds on every request; on the API's hot path one layer does that work once.
 */
export function inSequence(...layers: readonly Layer[]): RequestHandler {
  return function sequence(req: Request, res: Response, done: NextFunction): void {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error === 'route' || error === 'router') {
        done(error);
        return;
      }
      const failed = Boolean(error);
      for (;;) {
        const layer = layers[index++];
        if (!layer) {
          if (failed) done(error);
          else done();
          return;
        }
        if (failed !== (layer.length === 4)) continue;
        try {
          const returned: unknown = failed
            ? (layer as ErrorRequestHandler)(error, req, res, step)
            : (layer as RequestHandler)(req, res, step);
          if (returned instanceof Promise)
            returned.catch((rejection: unknown) => {
              step(rejection ?? new Error('Rejected promise'));
            });
        } catch (thrown) {
          step(thrown);
        }
        return;
      }
    };
    step();
  };
}
