import type { IncomingHttpHeaders } from 'node:http';
import { currentRequest } from '../request-context.ts';
import type { Services } from '../services/container.ts';
import { bearerToken, InvalidSessionError, type SessionClaims } from '../auth/verifier.ts';
import { CallTurns } from './call-turns.ts';
import type { Context, HeaderSink, Transport } from './context.ts';

/** The parts of a Node or Express request the context needs. */
interface HttpRequestLike {
  headers: IncomingHttpHeaders;
}

/** Verifies the bearer token, if any. A bad token is the same as none: the caller is anonymous. */
export async function sessionFromHeader(services: Services, header: string | undefined): Promise<SessionClaims | null> {
  const token = bearerToken(header);
  if (!token) return null;
  try {
    return await services.verifySession(token);
  } catch (error) {
    const reason = error instanceof InvalidSessionError ? error.message : 'verifier failed';
    services.log.debug({ reason }, 'session token refused');
    return null;
  }
}

/** Context of an HTTP call, REST or tRPC. */
export function httpContextFactory(services: Services, transport: Exclude<Transport, 'ws'>) {
  return async function createHttpContext({ req, res }: { req: HttpRequestLike; res: HeaderSink }): Promise<Context> {
    return {
      requestId: currentRequest()?.requestId ?? 'unknown',
      transport,
      services,
      log: services.log,
      session: await sessionFromHeader(services, req.headers.authorization),
      res,
      // A REST request is one call; a tRPC request may be a batch, whose calls take turns.
      turns: transport === 'trpc' ? new CallTurns(services.config.limits.concurrentCalls) : undefined,
    };
  };
}
