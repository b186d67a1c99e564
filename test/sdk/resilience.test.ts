import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPressboxClient, PressboxError, unwrap } from '@pressbox/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/process.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 that answers each request with the next scripted answer. */
async function scriptedServer(): Promise<{ url: string; requests: string[]; script(...answers: Answer[]): void; close(): Promise<void> }> {
  const requests: string[] = [];
  let answers: Answer[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const answer = answers.shift();
    if (answer) answer(req, res);
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"nba-bos"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    requests,
    script: (...next) => {
      answers = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  (_req, res) =>
    res
      .writeHead(code, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify({ code: code === 429 ? 'TOO_MANY_REQUESTS' : 'SERVICE_UNAVAILABLE', message: 'busy', requestId: 'req-1' }));
const hang: Answer = () => undefined;

describe('the SDK transport', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>>;
  const waits: number[] = [];
  const retry = { sleep: (ms: number) => (waits.push(ms), Promise.resolve()), random: () => 0.5 };
  beforeAll(async () => {
    server = await scriptedServer();
  });
  afterEach(() => {
    server.requests.length = 0;
    waits.length = 0;
  });
  afterAll(async () => {
    await server.close();
  });

  const team = (client: ReturnType<typeof createPressboxClient>) =>
    unwrap(client.GET('/teams/{teamId}', { params: { path: { teamId: 'nba-bos' } } }));

  it('retries an idempotent call on 503 and 429, waiting what Retry-After says', async () => {
    server.script(status(503, { 'retry-after': '2' }), status(429, { 'retry-after': '1' }));
    const client = createPressboxClient({ baseUrl: server.url, retry });
    await expect(team(client)).resolves.toEqual({ id: 'nba-bos' });
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([2_000, 1_000]);
  });

  it('backs off exponentially with jitter when there is no Retry-After, and gives up after the retries', async () => {
    server.script(status(503), status(503), status(503));
    const client = createPressboxClient({ baseUrl: server.url, retry: { ...retry, baseDelayMs: 100 } });
    await expect(team(client)).rejects.toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', requestId: 'req-1' });
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
  });

  it('never retries a POST, and not at all with retry: false', async () => {
    server.script(status(503));
    const client = createPressboxClient({ baseUrl: server.url, retry });
    await expect(unwrap(client.POST('/sources/{sourceId}/refresh', { params: { path: { sourceId: 'x' } } }))).rejects.toMatchObject({
      status: 503,
    });
    server.script(status(503));
    await expect(team(createPressboxClient({ baseUrl: server.url, retry: false }))).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('returns a 429 whose Retry-After is longer than maxDelayMs at once, with the wait in the error', async () => {
    server.script(status(429, { 'retry-after': '120' }));
    const failure = await team(createPressboxClient({ baseUrl: server.url, retry })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PressboxError);
    expect(failure).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 120 });
    expect(server.requests).toHaveLength(1);
  });

  it('fails with NETWORK_ERROR when nothing listens, after retrying', async () => {
    const client = createPressboxClient({ baseUrl: `http://127.0.0.1:${String(await freePort())}`, retry });
    const failure = await team(client).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PressboxError);
    expect(failure).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect(waits).toHaveLength(2);
  });

  it('fails with TIMEOUT when an attempt takes longer than timeoutMs', async () => {
    server.script(hang);
    const client = createPressboxClient({ baseUrl: server.url, timeoutMs: 200, retry: false });
    await expect(team(client)).rejects.toMatchObject({ name: 'PressboxError', code: 'TIMEOUT' });
  });

  it('fails with ABORTED when the caller aborts, and does not retry', async () => {
    server.script(hang, hang);
    const controller = new AbortController();
    const client = createPressboxClient({ baseUrl: server.url, retry });
    const call = unwrap(client.GET('/teams/{teamId}', { params: { path: { teamId: 'nba-bos' } }, signal: controller.signal }));
    setImmediate(() => {
      controller.abort();
    });
    await expect(call).rejects.toMatchObject({ name: 'PressboxError', code: 'ABORTED' });
    expect(waits).toEqual([]);
  });
});

describe('the SDK against the real rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_USER_PER_MIN: '1' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('surfaces the 429 with its Retry-After when the wait is beyond maxDelayMs', async () => {
    const client = createPressboxClient({ baseUrl: app.url, token: app.token('user_sdk_limited'), retry: { maxDelayMs: 500 } });
    await unwrap(client.GET('/me', {}));
    await expect(unwrap(client.GET('/me', {}))).rejects.toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: expect.any(Number) as unknown,
    });
  });
});
