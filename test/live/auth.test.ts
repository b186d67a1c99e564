import type { StoredEvent } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { manualClock, type ManualClock } from '../support/clock.ts';
import { field, liveClient, newsItem, openRawSocket, receive, socketUrl, subscriptionMessage, until } from './support.ts';

const isStarted = (message: unknown) => field(message, 'result', 'type') === 'started';
const isReconnect = (message: unknown) => field(message, 'method') === 'reconnect' && field(message, 'id') === null;
const isConnectionError = (message: unknown) => field(message, 'id') === null && field(message, 'error') !== undefined;

/** Lets a measured stretch of time pass (what is measured is what the client did meanwhile). */
const observeFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `exp` of a token, in clock milliseconds. */
const expiryOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number }).exp * 1000;

/** How long past its token's expiry the server waits before telling a client to reconnect, and again before closing. */
const GRACE_MS = 1_000;

describe('WebSocket authentication', () => {
  let app: TestApp;
  // Session time is the app's clock, moved by hand: token expiries happen when a test says so.
  let clock: ManualClock;
  beforeAll(async () => {
    clock = manualClock();
    app = await startTestApp({ database: 'pglite', clock });
  });
  afterAll(async () => {
    await app.close();
  });

  const listening = (teamId: string) => app.running.services.events.listenerCount({ teamId });
  const publishNews = (teamId: string, key: string): Promise<StoredEvent> =>
    app.running.services.events.publish({ type: 'news.created', teamId, data: newsItem(key, [teamId]) });

  it('refuses a bad token at once with UNAUTHORIZED, closes the socket and runs none of its subscriptions', async () => {
    const raw = await openRawSocket(socketUrl(app.url));
    raw.send({ method: 'connectionParams', data: { token: 'not-a-session-token' } });
    raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-atl' }));
    const refusal = await raw.waitFor(isConnectionError, 5_000, 'the refusal');
    expect(field(refusal, 'error', 'data', 'code')).toBe('UNAUTHORIZED');
    expect(field(refusal, 'error', 'message')).toBe('Send a valid session token as connectionParams: { token }');
    await raw.closed;
    expect(raw.messages.some(isStarted)).toBe(false);
    expect(listening('nba-atl')).toBe(0);
    expect(app.running.services.events.listenerCount()).toBe(0);
  });

  it('refuses a connection that sends no connectionParams at all, before it asks for anything', async () => {
    const raw = await openRawSocket(socketUrl(app.url), { connectionParams: false });
    const refusal = await raw.waitFor(isConnectionError, 5_000, 'the refusal');
    expect(field(refusal, 'error', 'data', 'code')).toBe('UNAUTHORIZED');
    await raw.closed;
  });

  it('refuses connectionParams without a token', async () => {
    const raw = await openRawSocket(socketUrl(app.url));
    raw.send({ method: 'connectionParams', data: { user: 'someone' } });
    const refusal = await raw.waitFor(isConnectionError, 5_000, 'the refusal');
    expect(field(refusal, 'error', 'data', 'code')).toBe('UNAUTHORIZED');
    await raw.closed;
  });

  it('accepts a valid token and starts the subscription', async () => {
    const raw = await openRawSocket(socketUrl(app.url));
    raw.send({ method: 'connectionParams', data: { token: app.token('fan_raw') } });
    raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-atl' }));
    await raw.waitFor(isStarted, 5_000, 'started');
    await until(() => listening('nba-atl') === 1, 5_000, 'the stream to listen');
    raw.socket.close();
    await raw.closed;
    await until(() => listening('nba-atl') === 0, 5_000, 'the stream to be released');
  });

  it('makes a refused tRPC client back off (2 s, then 4 s) instead of reconnecting in a storm', async () => {
    const client = liveClient({ url: app.url, token: () => 'not-a-session-token' });
    try {
      const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-chi' }, handlers));
      await observeFor(5_000);
      // @trpc/client 11.25: a refusal (an error with id null) marks the connection rejected, so
      // each retry waits twice as long: attempts at 0 s, 2 s and 6 s. The subscription stays
      // pending (no error reaches onError) while the client keeps retrying.
      expect(client.attempts()).toBeGreaterThanOrEqual(2);
      expect(client.attempts()).toBeLessThanOrEqual(3);
      expect(news.started).toBe(0);
      expect(listening('nba-chi')).toBe(0);
      expect(client.closeCodes().every((code) => code !== 4001)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('tells a client whose token expires to reconnect, then closes its socket with 4001', async () => {
    const token = app.token('fan_expiring', { ttlSeconds: 60 });
    const raw = await openRawSocket(socketUrl(app.url));
    raw.send({ method: 'connectionParams', data: { token } });
    raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-cle' }));
    await raw.waitFor(isStarted, 5_000, 'started');
    clock.advance(expiryOf(token) + GRACE_MS - 1 - clock.now());
    await until(() => clock.sleeping() > 0, 5_000, 'the expiry timer');
    expect(raw.messages.some(isReconnect)).toBe(false);
    clock.advance(1);
    await raw.waitFor(isReconnect, 5_000, 'the reconnect notification');
    expect(clock.now()).toBe(expiryOf(token) + GRACE_MS);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    clock.advance(GRACE_MS);
    expect(await raw.closed).toEqual({ code: 4001, reason: 'session expired' });
    await until(() => listening('nba-cle') === 0, 5_000, 'the stream to be released');
  });

  it('keeps a subscription alive across token expiries, without losing or repeating events, when the client brings fresh tokens', async () => {
    const client = liveClient({ url: app.url, token: () => app.token('fan_fresh', { ttlSeconds: 60 }) });
    try {
      const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-den' }, handlers));
      await until(() => news.started === 1 && listening('nba-den') === 1, 5_000, 'the subscription to be live');
      const published: string[] = [];
      const stopPublishing = new AbortController();
      // Events keep coming while each expiry moves the subscription to a new connection.
      const publisher = (async () => {
        for (let index = 0; !stopPublishing.signal.aborted; index++) {
          published.push((await publishNews('nba-den', `den-${String(index)}`)).id);
          await observeFor(10);
        }
      })();
      for (let expiry = 1; expiry <= 2; expiry++) {
        const eventsBefore = published.length;
        clock.advance(61_000);
        await until(() => client.attempts() === expiry + 1, 5_000, `connection ${String(expiry + 1)}`);
        await until(() => published.length >= eventsBefore + 10, 5_000, 'events during the move');
        clock.advance(GRACE_MS);
        await until(() => client.closeCodes().length === expiry, 5_000, `the expired connection ${String(expiry)} to close`);
      }
      stopPublishing.abort();
      await publisher;
      await until(() => news.events.length >= published.length, 10_000, 'every event');
      expect(news.ids()).toEqual(published);
      expect(client.attempts()).toBe(3);
      expect(news.errors).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('refuses an expired token instead of telling its client to reconnect again and again', async () => {
    const token = app.token('fan_stale', { ttlSeconds: 60 });
    const client = liveClient({ url: app.url, token: () => token });
    try {
      receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-dal' }, handlers));
      await until(() => listening('nba-dal') === 1, 5_000, 'the subscription to be live');
      // Told to reconnect 1 s past expiry, the client comes back with the same token, which the
      // verifier still accepts (5 s of clock skew) but the WebSocket endpoint refuses.
      clock.advance(expiryOf(token) + GRACE_MS - clock.now());
      await until(() => client.attempts() >= 2 && client.closeCodes().length >= 1, 5_000, 'the second connection to end');
      // Refused, the client backs off (2 s); told to reconnect again, it would be back at once.
      await observeFor(500);
      expect(client.attempts()).toBe(2);
    } finally {
      await client.close();
    }
  });
});
