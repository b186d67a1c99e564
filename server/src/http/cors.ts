import type { NextFunction, Request, Response } from 'express';

const allowedHeaders = 'authorization, content-type, x-request-id, trpc-accept';
const exposedHeaders = 'x-request-id, retry-after';
const methods = 'GET, POST, PUT, PATCH, DELETE';

/**
 * CORS for the browser frontends listed in configuration. Credentials travel in the
 * Authorization header, never in cookies, so no `Allow-Credentials`. Other origins get no CORS
 * headers (the browser blocks them); preflights are answered here, never by the API router.
 */
export function cors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return function corsMiddleware(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin !== undefined && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', methods);
        res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
