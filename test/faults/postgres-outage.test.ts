import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addArticles, stories } from '../summaries-api/fixtures.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { until } from '../support/waiting.ts';
import { captureLogLines, type LogLines } from './support/log-lines.ts';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.ts';

async function timed(request: Promise<Response>) {
  const started = performance.now();
  const response = await request;
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, ms: performance.now() - started };
}

const jobSchema = z.object({ state: z.string() });

describe.skipIf(!databaseAvailable('postgres'))(
  'a Postgres outage (a private cluster: sessions terminated, then the server stopped and started)',
  () => {
    let pg: PrivatePostgres;
    let app: TestApp;
    let logs: LogLines;
    const user = 'fan_pg_outage';
    let refreshJobId = '';
    let warningsBefore = 0;

    beforeAll(async () => {
      pg = await startPrivatePostgres();
      logs = captureLogLines();
      app = await startTestApp({ env: { DATABASE_URL: pg.url, LOG_LEVEL: 'info' }, logDestination: logs.stream });
      await addArticles(app.running.services.prisma, 'nba-den', stories(3, 'den'));
      expect((await app.fetch('/api/v1/me', { as: user })).status).toBe(200);
    });

    afterAll(async () => {
      try {
        await app.close();
      } finally {
        await pg.destroy();
      }
    });

    it('answers requests caught by terminated sessions 503, never 500, and the next ones 200', async () => {
      const inFlight = Array.from({ length: 20 }, (_, index) =>
        timed(app.fetch(index % 2 === 0 ? '/api/v1/teams/nba-den' : '/api/v1/teams/nba-den/news', { as: user })),
      );
      const terminated = await pg.terminateSessions();
      const caught = await Promise.all(inFlight);
      const after = await Promise.all(Array.from({ length: 10 }, () => timed(app.fetch('/api/v1/teams/nba-den/news', { as: user }))));
      const statuses = caught.map((answer) => answer.status);
      expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
      for (const answer of caught.filter((item) => item.status === 503)) {
        expect(answer.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; try again shortly' });
        expect(answer.retryAfter).toBe('2');
      }
      expect(after.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
      console.log(
        `pg_terminate_backend: ${String(terminated)} sessions ended; of 20 requests in flight ${String(statuses.filter((s) => s === 200).length)} answered 200, ${String(statuses.filter((s) => s === 503).length)} 503, 0 500; the next 10 all 200`,
      );
    });

    it('answers 503 JSON with Retry-After within a second while the server is stopped, and /readyz 503 within 500 ms', async () => {
      await until(
        () => logs.matching('database available again').length === logs.matching('database unavailable').length,
        3_000,
        'no outage open',
      );
      warningsBefore = logs.matching('database unavailable').length;
      await pg.stop();
      const answers = [];
      for (let round = 0; round < 5; round++) {
        answers.push(await timed(app.fetch('/api/v1/teams/nba-den/news', { as: user })));
        answers.push(await timed(app.fetch('/api/v1/me/feed', { as: user })));
      }
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 503));
      expect(answers.every((answer) => answer.body.code === 'SERVICE_UNAVAILABLE' && answer.retryAfter === '2')).toBe(true);
      expect(JSON.stringify(answers.map((answer) => answer.body))).not.toMatch(/ECONNREFUSED|prisma|stack|127\.0\.0\.1/i);
      expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(1_000);
      const ready = await timed(fetch(`${app.url}/readyz`));
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(500);
      expect(logs.matching('database unavailable')).toHaveLength(warningsBefore + 1);
    });

    it('lets a job started during the outage wait for the database instead of failing', async () => {
      const response = await app.fetch('/api/v1/teams/nba-den/summary/refresh', {
        method: 'POST',
        as: user,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ length: 'SHORT' }),
      });
      expect(response.status).toBe(202);
      refreshJobId = z.object({ jobId: z.string() }).parse(await response.json()).jobId;
    });

    it('is back without a restart within 2 s of the server, logs it once, and the job completes on its first attempt', async () => {
      await pg.start();
      const started = performance.now();
      await until(async () => (await app.fetch('/api/v1/teams/nba-den/news', { as: user })).status === 200, 5_000, 'a 200');
      const recoveryMs = performance.now() - started;
      expect(recoveryMs).toBeLessThan(2_000);
      await until(() => logs.matching('database available again').length === warningsBefore + 1, 3_000, 'the recovery line');
      expect(logs.matching('database unavailable')).toHaveLength(warningsBefore + 1);
      await until(
        async () => jobSchema.parse(await (await app.fetch(`/api/v1/jobs/${refreshJobId}`, { as: user })).json()).state === 'completed',
        10_000,
        'the job to complete',
      );
      const finished = await app.running.services.queue.getJob(refreshJobId);
      expect(finished).toMatchObject({ state: 'completed', attemptsMade: 1 });
      expect(logs.lines().filter((line) => line.level === 'error' && line.msg !== 'request failed')).toEqual([]);
      console.log(`postgres restart: first 200 ${String(Math.round(recoveryMs))} ms after the server accepted connections again`);
    });
  },
);
