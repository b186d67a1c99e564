import type { AppRouter } from '@pressbox/server';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { field, metricValue, openRawSocket, socketUrl, subscriptionMessage, until, type RawSocket } from './support.ts';

const PER_CONNECTION = 3;
const PER_USER = 5;

const isStarted = (id: number) => (message: unknown) => field(message, 'id') === id && field(message, 'result', 'type') === 'started';
const isErrorOf = (id: number | null) => (message: unknown) => field(message, 'id') === id && field(message, 'error') !== undefined;

describe('WebSocket limits and errors', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      database: 'pglite',
      env: { RATE_LIMIT_USER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' },
      configure: (config) => ({
        ...config,
        limits: { ...config.limits, subscriptionsPerConnection: PER_CONNECTION, subscriptionsPerUser: PER_USER },
      }),
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const liveSubscriptions = async () => metricValue(await (await app.fetch('/metrics')).text(), 'pressbox_websocket_subscriptions');
  const connect = async (userId: string): Promise<RawSocket> => {
    const raw = await openRawSocket(socketUrl(app.url));
    raw.send({ method: 'connectionParams', data: { token: app.token(userId) } });
    return raw;
  };
  const subscribe = async (raw: RawSocket, id: number, teamId = 'nba-bos') => {
    raw.send(subscriptionMessage(id, 'teams.onNews', { teamId }));
    return raw.waitFor((message) => isStarted(id)(message) || isErrorOf(id)(message), 5_000, `subscription ${String(id)}`);
  };

  it('closes a connection with a bad token with 4401 and a reason that the stock @trpc/client reports', async () => {
    const closes: { code?: number; reason?: string }[] = [];
    const wsClient = createWSClient({
      url: socketUrl(app.url),
      WebSocket: WebSocket as unknown as NonNullable<Parameters<typeof createWSClient>[0]['WebSocket']>,
      connectionParams: () => ({ token: 'not-a-session-token' }),
      onClose: (cause) => closes.push({ code: cause?.code, reason: field(cause, 'reason') as string | undefined }),
      retryDelayMs: () => 60_000,
    });
    const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    // The client's connection state reports the close only when it arrives after the socket counts
    // as open, which depends on scheduling; its onClose always reports it.
    const subscription = trpc.teams.onNews.subscribe({ teamId: 'nba-bos' }, { onData: () => undefined });
    try {
      await until(() => closes.length > 0, 5_000, 'the close');
      expect(closes[0]).toEqual({ code: 4401, reason: 'UNAUTHORIZED: Send a valid session token as connectionParams: { token }' });
    } finally {
      subscription.unsubscribe();
      await wsClient.close();
    }
  });

  it("gives every error frame the connection's own request id, the refusal's included", async () => {
    const refused = await openRawSocket(socketUrl(app.url));
    refused.send({ method: 'connectionParams', data: { token: 'nope' } });
    const refusal = await refused.waitFor(isErrorOf(null), 5_000, 'the refusal');
    expect(field(refusal, 'error', 'data', 'requestId')).toMatch(/^ws-[0-9a-f-]{36}$/);
    expect((await refused.closed).code).toBe(4401);

    const raw = await connect('fan_ids');
    raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 42 }));
    raw.send({ id: 2, jsonrpc: '2.0', method: 'query', params: { path: 'teams.get', input: { teamId: 'nba-none' } } });
    const invalid = await raw.waitFor(isErrorOf(1), 5_000, 'the validation error');
    const missing = await raw.waitFor(isErrorOf(2), 5_000, 'the not-found error');
    const requestId = field(invalid, 'error', 'data', 'requestId');
    expect(requestId).toMatch(/^ws-[0-9a-f-]{36}$/);
    expect(field(missing, 'error', 'data', 'requestId')).toBe(requestId);
    expect(field(missing, 'error', 'data', 'code')).toBe('NOT_FOUND');
    raw.socket.close();
    await raw.closed;
  });

  it(`holds ${String(PER_CONNECTION)} subscriptions per connection and ${String(PER_USER)} per user, refusing one more with TOO_MANY_REQUESTS`, async () => {
    const first = await connect('fan_caps');
    for (let id = 1; id <= PER_CONNECTION; id++) expect(isStarted(id)(await subscribe(first, id))).toBe(true);
    const overConnection = await subscribe(first, 99);
    expect(field(overConnection, 'error', 'data')).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: `A connection may hold ${String(PER_CONNECTION)} subscriptions at most`,
    });
    // A stopped subscription gives its slot back.
    first.send({ id: 1, jsonrpc: '2.0', method: 'subscription.stop' });
    await first.waitFor((message) => field(message, 'id') === 1 && field(message, 'result', 'type') === 'stopped', 5_000, 'stopped');
    expect(isStarted(4)(await subscribe(first, 4))).toBe(true);

    const second = await connect('fan_caps');
    for (let id = 1; id <= PER_USER - PER_CONNECTION; id++) expect(isStarted(id)(await subscribe(second, id))).toBe(true);
    const overUser = await subscribe(second, 99);
    expect(field(overUser, 'error', 'data')).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: `A user may hold ${String(PER_USER)} subscriptions at most`,
    });
    const other = await connect('fan_other');
    expect(isStarted(1)(await subscribe(other, 1))).toBe(true);
    for (const raw of [first, second, other]) raw.socket.close();
    await Promise.all([first.closed, second.closed, other.closed]);
  });

  it('releases every subscription, slot and listener once subscriptions stop, fail or their sockets close', async () => {
    await until(async () => (await liveSubscriptions()) === 0, 5_000, 'no live subscriptions');
    for (let round = 0; round < 5; round++) {
      const raw = await connect(`fan_release_${String(round % 2)}`);
      for (let id = 1; id <= PER_CONNECTION; id++) await subscribe(raw, id, `nba-${['bos', 'lal', 'mia'][id - 1] ?? 'bos'}`);
      expect(await liveSubscriptions()).toBe(PER_CONNECTION);
      raw.send({ id: 1, jsonrpc: '2.0', method: 'subscription.stop' });
      raw.send(subscriptionMessage(7, 'teams.onNews', { teamId: 'nba-none' }));
      await raw.waitFor((message) => field(message, 'id') === 1 && field(message, 'result', 'type') === 'stopped', 5_000, 'stopped');
      await raw.waitFor((message) => field(message, 'id') === 7, 5_000, 'the unknown team');
      await until(async () => (await liveSubscriptions()) === PER_CONNECTION - 1, 5_000, 'the stopped and failed ones released');
      if (round % 2 === 0) raw.socket.close();
      else raw.socket.terminate();
      await raw.closed;
      await until(async () => (await liveSubscriptions()) === 0, 5_000, `round ${String(round)} released`);
    }
    expect(app.running.services.events.listenerCount()).toBe(0);
  });
});
