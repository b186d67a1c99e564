import type { StoredEvent } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { field, liveClient, newsItem, openRawSocket, receive, socketUrl, subscriptionMessage, until } from './support.ts';

const isStarted = (message: unknown) => field(message, 'result', 'type') === 'started';
const isReconnect = (message: unknown) => field(message, 'method') === 'reconnect' && field(message, 'id') === null;
const isConnectionError = (message: unknown) => field(message, 'id') === null && field(message, 'error') !== undefined;

/** Lets a measured stretch of time pass (what is measured is what the client did meanwhile). */
const observeFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WebSocket authentication', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ database: 'pglite' });
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
    const token = app.token('fan_expiring', { ttlSeconds: 2 });
    const expiresAt = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number }).exp * 1000;
    const raw = await openRawSocket(socketUrl(app.url));
    raw.send({ method: 'connectionParams', data: { token } });
    raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-cle' }));
    await raw.waitFor(isStarted, 5_000, 'started');
    await raw.waitFor(isReconnect, 6_000, 'the reconnect notification');
    const notifiedAt = Date.now();
    const closed = await raw.closed;
    const closedAt = Date.now();
    expect(notifiedAt).toBeGreaterThanOrEqual(expiresAt);
    expect(closed).toEqual({ code: 4001, reason: 'session expired' });
    expect(closedAt).toBeGreaterThanOrEqual(notifiedAt);
    await until(() => listening('nba-cle') === 0, 5_000, 'the stream to be released');
  });

  it('keeps a subscription alive across token expiries, without losing or repeating events, when the client brings fresh tokens', async () => {
    const client = liveClient({ url: app.url, token: () => app.token('fan_fresh', { ttlSeconds: 2 }) });
    try {
      const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-den' }, handlers));
      await until(() => news.started === 1 && listening('nba-den') === 1, 5_000, 'the subscription to be live');
      const published: string[] = [];
      // Spans at least one expiry of a two-second token, usually two.
      const stopAt = Date.now() + 6_000;
      for (let index = 0; Date.now() < stopAt; index++) {
        published.push((await publishNews('nba-den', `den-${String(index)}`)).id);
        await observeFor(100);
      }
      await until(() => news.events.length >= published.length, 10_000, 'every event');
      expect(news.ids()).toEqual(published);
      expect(client.attempts()).toBeGreaterThanOrEqual(2);
      expect(news.errors).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('refuses an expired token instead of telling its client to reconnect again and again', async () => {
    const token = app.token('fan_stale', { ttlSeconds: 1 });
    const client = liveClient({ url: app.url, token: () => token });
    try {
      receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-dal' }, handlers));
      await observeFor(7_000);
      // One connection while the token was valid, then refusals with backoff: not one connection
      // per reconnect notification while the token is inside the verifier's clock-skew window.
      expect(client.attempts()).toBeLessThanOrEqual(4);
    } finally {
      await client.close();
    }
  });
});
