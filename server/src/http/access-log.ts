import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../infra/metrics.ts';
import type { Logger } from '../logger.ts';
import { currentRequest } from '../request-context.ts';

/** One line per request: method, path (never the query string, which may carry secrets), status, time. */
export function accessLog(log: Logger, metrics: Metrics) {
  return function accessLogMiddleware(req: Request, res: Response, next: NextFunction): void {
    const context = currentRequest();
    res.on('finish', () => {
      const durationMs = context ? Math.round((performance.now() - context.startedAt) * 10) / 10 : undefined;
      const line = { method: req.method, path: req.path, status: res.statusCode, durationMs, transport: context?.transport };
      const mount = req.originalUrl.startsWith('/api/v1') ? 'rest' : req.originalUrl.startsWith('/trpc') ? 'trpc' : 'other';
      metrics.httpRequests.inc({ mount, status: `${String(Math.floor(res.statusCode / 100))}xx` });
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    });
    next();
  };
}
