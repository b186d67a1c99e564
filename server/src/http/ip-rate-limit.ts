import type { NextFunction, Request, Response } from 'express';
import type { RateLimiter } from '../infra/rate-limit/interface.ts';
import type { Logger } from '../logger.ts';
import { sendError } from './errors.ts';

/**
 * Per-IP limit in front of the API, before any token is verified. When the limiter's store is
 * unreachable the request passes: losing rate limiting briefly is better than losing the API.
 */
export function ipRateLimit(limiter: RateLimiter, perMinute: number, log: Logger) {
  return async function ipRateLimitMiddleware(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (perMinute <= 0) {
      next();
      return;
    }
    const decision = await limiter.consume(`ip:${req.ip ?? 'unknown'}`, perMinute).catch((error: unknown) => {
      log.warn({ err: { message: (error as Error).message } }, 'rate limiter unavailable; request allowed');
      return undefined;
    });
    if (decision && !decision.allowed) {
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      sendError(res, 'TOO_MANY_REQUESTS');
      return;
    }
    next();
  };
}
