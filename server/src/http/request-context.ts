import type { NextFunction, Request, Response } from 'express';
import { currentRequest, requestIdFrom, runWithRequest, type RequestContext } from '../request-context.ts';

/** Gives every request an id, echoes it in `x-request-id` and makes it visible to logs and errors. */
export function requestContext() {
  return function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
    const context: RequestContext = { requestId: requestIdFrom(req.headers['x-request-id']), startedAt: performance.now() };
    res.setHeader('x-request-id', context.requestId);
    res.locals.requestId = context.requestId;
    runWithRequest(context, next);
  };
}

/** Marks the requests below a mount point as REST or tRPC. */
export function markTransport(transport: 'rest' | 'trpc') {
  return function markTransportMiddleware(_req: Request, _res: Response, next: NextFunction): void {
    const context = currentRequest();
    if (context) context.transport = transport;
    next();
  };
}
