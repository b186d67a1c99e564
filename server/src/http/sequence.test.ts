import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { inSequence, type Layer } from './sequence.ts';

const req = {} as Request;
const res = {} as Response;

/** Runs the layers as one and tells how the sequence ended: the trail of layers run and what it passed on. */
function run(...layers: Layer[]): Promise<{ trail: string[]; passed: unknown[] }> {
  const trail: string[] = [];
  return new Promise((resolve) => {
    const marked = layers.map((layer) =>
      layer.length === 4
        ? (error: unknown, rq: Request, rs: Response, next: NextFunction) => {
            trail.push(`error:${String(error)}`);
            return (layer as (e: unknown, a: Request, b: Response, c: NextFunction) => unknown)(error, rq, rs, next);
          }
        : (rq: Request, rs: Response, next: NextFunction) => {
            trail.push('layer');
            return (layer as (a: Request, b: Response, c: NextFunction) => unknown)(rq, rs, next);
          },
    ) as Layer[];
    inSequence(...marked)(req, res, (...passed: unknown[]) => resolve({ trail, passed }));
  });
}

describe('inSequence', () => {
  it('runs every layer in order and then goes on with nothing passed', async () => {
    const seen: number[] = [];
    const outcome = await run(
      (_q, _s, next) => (seen.push(1), next()),
      (_q, _s, next) => (seen.push(2), next()),
    );
    expect(seen).toEqual([1, 2]);
    expect(outcome.passed).toEqual([]);
  });

  it('skips ordinary layers after an error, up to the next error handler, which may recover', async () => {
    const outcome = await run(
      (_q, _s, next) => next('boom'),
      () => {
        throw new Error('not run');
      },
      (_error: unknown, _q: Request, _s: Response, next: NextFunction) => next(),
      (_q, _s, next) => next(),
    );
    expect(outcome.trail).toEqual(['layer', 'error:boom', 'layer']);
    expect(outcome.passed).toEqual([]);
  });

  it('passes an unhandled error, a thrown one and a rejected promise on to the app', async () => {
    const thrown = await run(() => {
      throw new Error('thrown');
    });
    expect(String(thrown.passed[0])).toBe('Error: thrown');
    const rejected = await run(async () => {
      await Promise.resolve();
      throw new Error('rejected');
    });
    expect(String(rejected.passed[0])).toBe('Error: rejected');
    const unhandled = await run(
      (_q, _s, next) => next(new Error('left')),
      (_q, _s, next) => next(),
    );
    expect(String(unhandled.passed[0])).toBe('Error: left');
  });

  it('ignores ordinary layers while passing an error and error handlers while not', async () => {
    const outcome = await run(
      (_error: unknown, _q: Request, _s: Response, next: NextFunction) => next(),
      (_q, _s, next) => next(),
    );
    expect(outcome.trail).toEqual(['layer']);
  });

  it("hands 'route' and 'router' straight to Express", async () => {
    const outcome = await run(
      (_q, _s, next) => next('router'),
      (_q, _s, next) => next(),
    );
    expect(outcome.passed).toEqual(['router']);
  });
});
