import type { NextFunction, Request, Response } from 'express';

/** Conservative headers for an API: nothing here is meant to be framed, sniffed or cached. */
export function securityHeaders() {
  return function securityHeadersMiddleware(_req: Request, res: Response, next: NextFunction): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
