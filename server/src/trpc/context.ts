import type { Logger } from '../logger.ts';
import type { Services } from '../services/container.ts';
import type { SessionClaims } from '../auth/verifier.ts';
import type { CallTurns } from './call-turns.ts';
import type { StoredEvent } from '@pressbox/jobs';
import type { ConnectionSubscriptions } from './live-subscriptions.ts';

/** Where a procedure may set response headers (Retry-After, WWW-Authenticate). */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/** Which subscription a procedure serves: its path, its team (if any) and where it resumes. */
export interface SubscriptionKey {
  path: string;
  teamId?: string | undefined;
  lastEventId?: string | null | undefined;
}

/** Writes one subscription's events to its socket; resolves when the stream ends, stops or is shed. */
export interface LivePipe {
  pump(events: AsyncIterable<StoredEvent>, signal: AbortSignal): Promise<void>;
}

/** A WebSocket connection's direct path for subscription events (see trpc/live-frames.ts). */
export interface LiveSink {
  /** The pipe of the subscription with this key, or undefined when it cannot be told apart. */
  claim(key: SubscriptionKey): LivePipe | undefined;
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
  /** The HTTP response, to set headers such as Retry-After; absent over WebSocket. */
  res: HeaderSink | undefined;
  /** Paces the calls of this request or connection; absent for direct callers. */
  turns?: CallTurns | undefined;
  /** Over WebSocket: where subscriptions write their events directly. */
  live?: LiveSink | undefined;
  /** The subscription slots of a WebSocket connection; absent over HTTP. */
  subscriptions?: ConnectionSubscriptions | undefined;
}
