import { Agent, get, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Which connection answered (a counter of the sockets the agent opened). */
  socket: number;
  at: number;
}

/**
 * A tRPC mutation whose body arrives in two parts: in flight (its body half read) until `finish`
 * sends the rest.
 */
async function halfSentFollow(url: string, token: string): Promise<{ finish(): void; answer: Promise<{ status: number; body: string }> }> {
  const body = JSON.stringify({ teamId: 'nba-bos' });
  const req = httpRequest(`${url}/trpc/me.follow`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text });
      });
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  await new Promise<void>((resolve) => {
    req.write(body.slice(0, 5), () => {
      resolve();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    finish: () => req.end(body.slice(5)),
    answer,
  };
}

/** GET over a keep-alive agent of one socket, telling which socket carried it. */
function request(agent: Agent, url: string, sockets: WeakMap<object, number>, counter: { next: number }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, socket: sockets.get(res.socket) ?? -1, at: performance.now() });
      });
    });
    req.on('socket', (socket) => {
      if (!sockets.has(socket)) sockets.set(socket, counter.next++);
    });
    req.on('error', reject);
  });
}

describe('a drain (SIGTERM) with a client that keeps its connection busy', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the request in flight, closes keep-alive connections as soon as they are idle, and ends long before the grace period', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new WeakMap<object, number>();
    const counter = { next: 0 };
    const answers: Answer[] = [];
    let stopStarted = Number.POSITIVE_INFINITY;
    let failure: unknown;
    const loop = (async () => {
      // Back to back on one connection, so it is never idle when the drain begins.
      for (;;) {
        try {
          answers.push(await request(agent, `${app.url}/healthz`, sockets, counter));
        } catch (error) {
          failure = error;
          return;
        }
      }
    })();
    while (answers.length < 20) await new Promise((resolve) => setImmediate(resolve));
    const inFlight = await halfSentFollow(app.url, app.token('user_drain'));
    stopStarted = performance.now();
    const serverClosed = new Promise<number>((resolve) => {
      app.running.server?.once('close', () => {
        resolve(performance.now());
      });
    });
    const stopping = app.running.stop(10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    inFlight.finish();
    await stopping;
    const stopMs = (await serverClosed) - stopStarted;
    await loop;
    agent.destroy();

    const afterStop = answers.filter((answer) => answer.at >= stopStarted);
    console.log(
      `the HTTP server closed after ${stopMs.toFixed(0)} ms; ${String(afterStop.length)} answers on the busy connection after it began`,
    );
    const followed = await inFlight.answer;
    expect(followed.status).toBe(200);
    expect(JSON.parse(followed.body)).toMatchObject({ result: { data: { teamId: 'nba-bos' } } });
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.socket)).size).toBe(1);
    expect(afterStop.length).toBeLessThanOrEqual(3);
    // Closed between two requests, or refused once the listener is gone.
    expect(['ECONNRESET', 'ECONNREFUSED']).toContain((failure as { code?: string } | undefined)?.code);
    expect(stopMs).toBeLessThan(5_000);
  }, 60_000);
});
