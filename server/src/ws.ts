import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { TRPCError } from '@trpc/server';
import { SlowConsumerError } from '@pressbox/jobs';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { liveSink } from './trpc/live-frames.ts';
import { appRouter } from './router.ts';
import type { Clock } from '@pressbox/db';
import type { Services } from './services/container.ts';
import { currentRequest, runWithRequest } from './request-context.ts';
import { CallTurns } from './trpc/call-turns.ts';
import { sessionFromHeader } from './trpc/create-context.ts';
import type { Context, LiveSink } from './trpc/context.ts';
import { LiveSubscriptions } from './trpc/live-subscriptions.ts';

/** Bytes a client may leave unread in its socket before it is cut off. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Past the token's expiry, give the client this long to reconnect before closing. */
const EXPIRY_GRACE_MS = 1_000;
const reconnectMessage = JSON.stringify({ id: null, method: 'reconnect' });
/** Close code for a connection whose subscription fell behind: reconnect and resume. */
const FELL_BEHIND = 4002;
/** Close codes of a refused connection: 4000 + the HTTP status of the refusal. */
const REFUSED = { UNAUTHORIZED: 4401, TOO_MANY_REQUESTS: 4429 } as const;
const unauthorizedMessage = 'Send a valid session token as connectionParams: { token }';

const connectionParams = z.object({ token: z.string().min(1).max(8192) });

export interface WebSocketEndpoint {
  connections(): number;
  /** Subscriptions live now, over every connection. */
  subscriptions(): number;
  /** Tells every client to reconnect (elsewhere), then closes their sockets. */
  close(): Promise<void>;
}

/**
 * tRPC subscriptions over WebSocket at `/trpc`, on the API's HTTP server. The session token comes
 * in `connectionParams` ({ token }) and is verified before anything else: a bad token gets an
 * UNAUTHORIZED error and the socket closes with 4401 (4429 past the per-IP rate limit). A
 * connection holds at most `subscriptionsPerConnection` subscriptions and a user
 * `subscriptionsPerUser`; one more is refused with TOO_MANY_REQUESTS. When the token expires, the client is told to
 * reconnect (so it sends a fresh token) and the socket is closed shortly after (4001); a token
 * already past its expiry is refused like a bad one. Slow readers are cut off once their socket
 * buffers 4 MiB; a connection whose subscription fell too far behind the live events is closed
 * with 4002, after which the tRPC client resumes it from its last event id.
 */
export function attachWebSocket(server: Server, services: Services): WebSocketEndpoint {
  const wss = new WebSocketServer({ server, path: '/trpc', maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new SocketRegistry(services);
  const sinks = directSinks(wss, services);
  const { limits } = services.config;
  const slots = new LiveSubscriptions({ perConnection: limits.subscriptionsPerConnection, perUser: limits.subscriptionsPerUser });
  const onConnection = getWSConnectionHandler({
    wss,
    router: appRouter,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    maxBatchSize: limits.batchCalls,
    onError: ({ error, ctx }) => {
      if (error.cause instanceof SlowConsumerError) {
        // Sent as an error, it would end the client's subscription for good. Closed first (the
        // error reply is then dropped), the connection makes the tRPC client reconnect and resume
        // each of its subscriptions with its lastEventId, catching up from the event log.
        services.log.warn({ requestId: ctx?.requestId }, 'websocket subscription fell behind; closing so the client resumes');
        sockets.byRequest(ctx?.requestId)?.close(FELL_BEHIND, 'fell behind; resume with lastEventId');
        return;
      }
      if (error.code === 'INTERNAL_SERVER_ERROR') services.log.error({ err: { message: error.message } }, 'websocket procedure failed');
    },
    createContext: ({ req, res: socket, info }) =>
      connectionContext(services, sockets, {
        ip: req.socket.remoteAddress,
        socket,
        connectionParams: info.connectionParams,
        live: sinks.get(socket),
        slots,
      }),
  });
  wss.on('connection', (socket, req) => {
    // Everything the connection does, its error frames included, runs under its own request id.
    runWithRequest({ requestId: `ws-${randomUUID()}`, startedAt: performance.now(), transport: 'ws' }, () => {
      socket.emit = AsyncResource.bind(socket.emit.bind(socket));
      onConnection(socket, req);
    });
  });
  const sweep = cutOffSlowReaders(wss, services);
  services.metrics.gauge('pressbox_websocket_connections', 'Open WebSocket connections', [], (set) => {
    set({}, wss.clients.size);
  });
  services.metrics.gauge('pressbox_websocket_subscriptions', 'Live WebSocket subscriptions', [], (set) => {
    set({}, slots.count());
  });
  return {
    connections: () => wss.clients.size,
    subscriptions: () => slots.count(),
    close: async () => {
      clearInterval(sweep);
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(reconnectMessage);
      await new Promise((resolve) => setTimeout(resolve, 250));
      await closeClients(wss);
    },
  };
}

/** The open sockets by the request id of their connection, and the watches that end them at token expiry. */
class SocketRegistry {
  private readonly expiries = new WeakMap<WebSocket, AbortController>();
  private readonly sockets = new Map<string, WebSocket>();
  constructor(private readonly services: Pick<Services, 'clock'>) {}

  byRequest(requestId: string | undefined): WebSocket | undefined {
    return requestId === undefined ? undefined : this.sockets.get(requestId);
  }

  register(socket: WebSocket, requestId: string, expiresAtMs: number): void {
    this.expiries.get(socket)?.abort();
    this.expiries.set(socket, watchSessionExpiry(this.services.clock, socket, expiresAtMs + EXPIRY_GRACE_MS));
    this.sockets.set(requestId, socket);
    socket.once('close', () => {
      this.expiries.get(socket)?.abort();
      this.sockets.delete(requestId);
    });
  }
}

/**
 * Once `at` (clock time) has come, tells the client to reconnect with a fresh token and closes the
 * socket with 4001 a grace period later, unless the returned controller is aborted first.
 */
function watchSessionExpiry(clock: Clock, socket: WebSocket, at: number): AbortController {
  const watch = new AbortController();
  const ignoreAbort = () => undefined;
  clock
    .sleep(Math.max(0, at - clock.now()), watch.signal)
    .then(() => {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(reconnectMessage);
      return clock.sleep(EXPIRY_GRACE_MS, watch.signal).then(() => {
        socket.close(4001, 'session expired');
      });
    })
    .catch(ignoreAbort);
  return watch;
}

/**
 * Refuses a connection: the error frame (with `id: null`) goes out first, then the socket closes
 * with 4000 + the refusal's HTTP status, which `@trpc/client` passes to `onClose` and to the
 * subscriptions' connection state. Scheduled before tRPC's own close, which carries no code.
 */
function refuse(socket: WebSocket, code: keyof typeof REFUSED, message: string): TRPCError {
  setImmediate(() => {
    socket.close(REFUSED[code], `${code}: ${message}`.slice(0, 123));
  });
  return new TRPCError({ code, message });
}

/** Rate-limits the connection per IP, verifies its token and gives it a context of its own. */
async function connectionContext(
  services: Services,
  sockets: SocketRegistry,
  connection: {
    ip: string | undefined;
    socket: WebSocket;
    connectionParams: unknown;
    live: LiveSink | undefined;
    slots: LiveSubscriptions;
  },
): Promise<Context> {
  const { ip, socket } = connection;
  const perIp = services.config.rateLimits.ipPerMinute;
  if (perIp > 0) {
    const decision = await services.rateLimiter.consume(`ip:${ip ?? 'unknown'}`, perIp).catch(() => undefined);
    if (decision && !decision.allowed) throw refuse(socket, 'TOO_MANY_REQUESTS', 'Too many connections; retry later');
  }
  const params = connectionParams.safeParse(connection.connectionParams);
  const session = params.success ? await sessionFromHeader(services, `Bearer ${params.data.token}`) : null;
  // The verifier still accepts a token a few seconds past its expiry (clock skew). Such a
  // connection would be told to reconnect at once, and a client that keeps presenting the
  // same token would loop without pause; refused, it backs off instead.
  const expired = session !== null && session.expiresAt * 1000 <= services.clock.now();
  if (!session || expired) throw refuse(socket, 'UNAUTHORIZED', unauthorizedMessage);
  const requestId = currentRequest()?.requestId ?? `ws-${randomUUID()}`;
  sockets.register(socket, requestId, session.expiresAt * 1000);
  return {
    requestId,
    transport: 'ws',
    services,
    log: services.log,
    session,
    res: undefined,
    turns: new CallTurns(services.config.limits.concurrentCalls),
    subscriptions: connection.slots.connection(),
    live: connection.live,
  };
}

/**
 * Each socket's direct path for subscription events, set up as it connects (before its first
 * message). A subscriber that leaves too much unread is dropped, one whose stream fell behind is
 * closed with 4002; either resumes from the event log.
 */
function directSinks(wss: WebSocketServer, services: Pick<Services, 'log'>): WeakMap<WebSocket, LiveSink> {
  const sinks = new WeakMap<WebSocket, LiveSink>();
  wss.on('connection', (socket: WebSocket) => {
    const shed = (reason: 'unread' | 'behind') => {
      services.log.warn({ reason, bufferedAmount: socket.bufferedAmount }, 'websocket subscriber shed; the client resumes');
      if (reason === 'unread') socket.terminate();
      else socket.close(FELL_BEHIND, 'fell behind; resume with lastEventId');
    };
    sinks.set(socket, liveSink(socket, shed));
  });
  return sinks;
}

/** Cuts off clients that leave more than 4 MiB unread in their socket, checked every second. */
function cutOffSlowReaders(wss: WebSocketServer, services: Pick<Services, 'log'>): NodeJS.Timeout {
  const sweep = setInterval(() => {
    for (const client of wss.clients) {
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
        services.log.warn({ bufferedAmount: client.bufferedAmount }, 'websocket client too slow; disconnected');
        client.terminate();
      }
    }
  }, 1_000);
  sweep.unref();
  return sweep;
}

/** Closes every client with 1012 (server restarting) and the server; stragglers are terminated after 2 s. */
async function closeClients(wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.close(1012, 'server restarting');
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(() => {
      for (const client of wss.clients) client.terminate();
    }, 2_000);
    wss.close(() => {
      clearTimeout(deadline);
      resolve();
    });
  });
}
