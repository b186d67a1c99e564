import type { Logger } from '../logger.ts';
import type { Services } from '../services/container.ts';
import type { SessionClaims } from '../auth/verifier.ts';
import type { CallTurns } from './call-turns.ts';
import type { ConnectionSubscriptions } from './live-subscriptions.ts';

/** Where a procedure may set response headers (Retry-After, WWW-Authenticate). */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

export type Transport = 'rest' | 'trpc' | 'ws';

/** What every procedure sees: the caller (if signed in), the services and the request. */
export interface Context {
  requestId: string;
  transport: Transport;
  services: Services;
  log: Logger;
  /** The verified session, or null for an anonymous or invalid token. */
  session: SessionClaims | null;
  ip: string | undefined;
  /** The HTTP response, to set headers such as Retry-After; absent over WebSocket. */
  res: HeaderSink | undefined;
  /** Paces the calls of this request or connection; absent for direct callers. */
  turns?: CallTurns | undefined;
  /** The subscription slots of a WebSocket connection; absent over HTTP. */
  subscriptions?: ConnectionSubscriptions | undefined;
}
