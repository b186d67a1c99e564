import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { inSequence, type Layer } from './sequence.ts';

const req = Object.create(null) as Request;
const res = Object.create(null) as Response;

/** Runs the layers as one and tells how the sequence ended: the trail of layers run and what it passed on. */
function run(...layers: Layer[]): Promise<{ trail: string[]; passed: unknown[] }> {
  const trail: string[] = [];
  return new Promise((resolve) => {
    const marked = layers.map((each): Layer => {
      if (each.length === 4) {
        const handler = each as ErrorRequestHandler;
        const wrapped: ErrorRequestHandler = (error, rq, rs, next) => {
          trail.push(`error:${String(error)}`);
          return handler(error, rq, rs, next);
        };
        return wrapped;
      }
      const handler = each as RequestHandler;
      const wrapped: RequestHandler = (rq, rs, next) => {
        trail.push('layer');
        return handler(rq, rs, next);
      };
      return wrapped;
    });
    inSequence(...marked)(req, res, (...passed: unknown[]) => {
      resolve({ trail, passed });
    });
  });
}

const passOn: RequestHandler = (_req, _res, next) => {
  next();
};
const fail =
  (error: unknown): RequestHandler =>
  (_req, _res, next) => {
    next(error);
  };
const recover: ErrorRequestHandler = (_error, _req, _res, next: NextFunction) => {
  next();
};

describe('inSequence', () => {
  it('runs every layer in order and then goes on with nothing passed', async () => {
    const seen: number[] = [];
    const note =
      (value: number): RequestHandler =>
      (_req, _res, next) => {
        seen.push(value);
        next();
      };
    const outcome = await run(note(1), note(2));
    expect(seen).toEqual([1, 2]);
    expect(outcome.passed).toEqual([]);
  });

  it('skips ordinary layers after an error, up to the next error handler, which may recover', async () => {
    const never: RequestHandler = () => {
      throw new Error('not run');
    };
    const outcome = await run(fail('boom'), never, recover, passOn);
    expect(outcome.trail).toEqual(['layer', 'error:boom', 'layer']);
    expect(outcome.passed).toEqual([]);
  });

  it('passes an unhandled error, a thrown one and a rejected promise on to the app', async () => {
    const throwing: RequestHandler = () => {
      throw new Error('thrown');
    };
    expect(String((await run(throwing)).passed[0])).toBe('Error: thrown');
    const rejecting: RequestHandler = async () => {
      await Promise.resolve();
      throw new Error('rejected');
    };
    expect(String((await run(rejecting)).passed[0])).toBe('Error: rejected');
    expect(String((await run(fail(new Error('left')), passOn)).passed[0])).toBe('Error: left');
  });

  it('ignores error handlers while no error is passed', async () => {
    const outcome = await run(recover, passOn);
    expect(outcome.trail).toEqual(['layer']);
  });

  it("hands 'route' and 'router' straight to Express", async () => {
    expect((await run(fail('router'), passOn)).passed).toEqual(['router']);
  });
});
