import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardEvent } from '../events/fixtures.ts';
import { liveClient, receive, type LiveClient, type Received } from '../live/support.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { redisAvailable } from '../support/redis.ts';
import { until } from '../support/waiting.ts';
import { captureLogLines, type LogLines } from './support/log-lines.ts';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.ts';

/** One request, timed; the body is read so the time covers the whole answer. */
async function timed(request: Promise<Response>) {
  const started = performance.now();
  const response = await request;
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, ms: performance.now() - started };
}

describe.skipIf(!redisAvailable())('a Redis outage (a private redis-server with AOF, stopped and started again)', () => {
  let redis: PrivateRedis;
  let app: TestApp;
  let logs: LogLines;
  let live: LiveClient;
  let dashboards: Received;
  const team = 'nba-bos';
  const published: string[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    logs = captureLogLines();
    app = await startTestApp({ env: { REDIS_URL: redis.url, LOG_LEVEL: 'info' }, logDestination: logs.stream });
    live = liveClient({ url: app.url, token: () => app.token('fan_outage'), retryDelayMs: () => 100 });
    dashboards = receive((handlers) => live.trpc.teams.onDashboard.subscribe({ teamId: team }, handlers));
    await until(() => dashboards.started === 1 && app.running.services.events.listenerCount({ teamId: team }) === 1, 10_000, 'subscribed');
    published.push((await app.running.services.events.publish(dashboardEvent(team, 'before'))).id);
    await until(() => dashboards.events.length === 1, 5_000, 'the first event');
    await redis.stop();
  });

  afterAll(async () => {
    try {
      await live.close();
      await app.close();
    } finally {
      await redis.destroy();
    }
  });

  it('answers the procedures that need no Redis as usual, each within a second', async () => {
    const answers = [];
    for (let round = 0; round < 5; round++) {
      answers.push(await timed(app.fetch('/api/v1/me', { as: 'fan_outage' })));
      answers.push(await timed(app.fetch(`/api/v1/teams/${team}`, { as: 'fan_outage' })));
      answers.push(await timed(app.fetch('/api/v1/teams?league=NBA&limit=5', { as: 'fan_outage' })));
    }
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 15 }, () => 200));
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(1_000);
  });

  it('answers the procedures that need Redis 503 SERVICE_UNAVAILABLE with Retry-After within a second', async () => {
    const refresh = await timed(
      app.fetch(`/api/v1/teams/${team}/summary/refresh`, {
        method: 'POST',
        as: 'fan_outage',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ length: 'SHORT' }),
      }),
    );
    const job = await timed(app.fetch('/api/v1/jobs/summary.nba-bos.SHORT.x', { as: 'fan_outage' }));
    for (const answer of [refresh, job]) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('2');
      expect(answer.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/unavailable/) as unknown });
      expect(JSON.stringify(answer.body)).not.toMatch(/stack|ECONNREFUSED|ioredis|enableOfflineQueue/);
      expect(answer.ms).toBeLessThan(1_000);
    }
  });

  it('shows the outage on /metrics: redis down, one outage since start, the database up', async () => {
    const text = await (await app.fetch('/metrics')).text();
    expect(text).toContain('pressbox_dependency_down{dependency="redis"} 1');
    expect(text).toContain('pressbox_dependency_outages{dependency="redis"} 1');
    expect(text).toContain('pressbox_dependency_down{dependency="database"} 0');
    expect(text).toContain('pressbox_dependency_outages{dependency="database"} 0');
  });

  it('refuses a subscription opened during the outage within a second, with a clean 503 its client can retry', async () => {
    const started = performance.now();
    const late = receive((handlers) => live.trpc.teams.onDashboard.subscribe({ teamId: team, lastEventId: published[0] }, handlers));
    await until(() => late.errors.length > 0, 1_000, 'the refusal');
    const refusedMs = performance.now() - started;
    late.stop();
    expect(late.events).toEqual([]);
    expect(late.errors[0]).toMatchObject({ data: { code: 'SERVICE_UNAVAILABLE' } });
    expect(String(late.errors[0])).not.toMatch(/stack|ECONNREFUSED|ioredis/);
    expect(refusedMs).toBeLessThan(1_000);
  });

  it('says 503 on /readyz within 500 ms', async () => {
    const ready = await timed(fetch(`${app.url}/readyz`));
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ checks: { redis: { status: 'unavailable' }, jobs: { status: 'unavailable' } } });
    expect(ready.ms).toBeLessThan(500);
  });

  it('logs one warning for the outage, one line when Redis is back, and is ready again within 2 s of it', async () => {
    published.push((await app.running.services.events.publish(dashboardEvent(team, 'during'))).id);
    expect(logs.matching('redis unavailable')).toHaveLength(1);
    await redis.start();
    const restarted = performance.now();
    await until(async () => (await fetch(`${app.url}/readyz`)).status === 200, 5_000, 'ready again');
    const recoveryMs = performance.now() - restarted;
    expect(recoveryMs).toBeLessThan(2_000);
    await until(() => logs.matching('redis available again').length === 1, 2_000, 'the recovery line');
    expect(logs.matching('redis unavailable')).toHaveLength(1);
    expect(logs.lines().filter((line) => line.level === 'error' && line.msg !== 'request failed')).toEqual([]);
    const refresh = await app.fetch(`/api/v1/teams/${team}/summary/refresh`, {
      method: 'POST',
      as: 'fan_outage',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ length: 'SHORT' }),
    });
    expect(refresh.status).toBe(202);
    console.log(`redis outage: ready again ${String(Math.round(recoveryMs))} ms after redis-server started`);
  });

  it('keeps the subscription: the event published during the outage and the next one arrive, none twice', async () => {
    published.push((await app.running.services.events.publish(dashboardEvent(team, 'after'))).id);
    await until(() => dashboards.events.length >= 3, 10_000, 'three events');
    expect(dashboards.ids()).toEqual(published);
    expect(dashboards.errors).toEqual([]);
  });

  it('lets the refused client resume from its last event once Redis is back, with no gap', async () => {
    const retried = receive((handlers) => live.trpc.teams.onDashboard.subscribe({ teamId: team, lastEventId: published[0] }, handlers));
    await until(() => retried.events.length >= 2, 10_000, 'the missed events');
    published.push((await app.running.services.events.publish(dashboardEvent(team, 'resumed'))).id);
    await until(() => retried.events.length >= 3, 10_000, 'the next live event');
    retried.stop();
    expect(retried.ids()).toEqual(published.slice(1));
    expect(retried.errors).toEqual([]);
    const text = await (await app.fetch('/metrics')).text();
    expect(text).toContain('pressbox_dependency_down{dependency="redis"} 0');
    expect(text).toContain('pressbox_dependency_outages{dependency="redis"} 1');
  });
});
