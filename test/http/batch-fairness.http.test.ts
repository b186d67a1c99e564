import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

const BATCH = 50;

describe('one tRPC batch does not hold the process', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_USER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' } });
  });
  afterAll(async () => {
    await app.close();
  });

  const followBatch = () =>
    app.fetch(`/trpc/${Array.from({ length: BATCH }, () => 'me.follow').join(',')}?batch=1`, {
      method: 'POST',
      as: 'fan_batch',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(Array.from({ length: BATCH }, (_, index) => [String(index), { teamId: 'nba-bos' }]))),
    });

  it(`serves /healthz between the calls of a ${String(BATCH)}-call batch; the longest stall of the event loop is a small part of the batch`, async () => {
    expect((await followBatch()).status).toBe(200);
    // The server runs in this process: the event loop measured here is the server's.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    let batchDone = false;
    const finished = () => batchDone;
    const batch = followBatch().then(async (response) => {
      batchDone = true;
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return performance.now() - started;
    });
    let healthAnsweredDuringBatch = 0;
    while (!finished()) {
      const health = await app.fetch('/healthz');
      expect(health.status).toBe(200);
      await health.arrayBuffer();
      if (!finished()) healthAnsweredDuringBatch += 1;
    }
    const batchMs = await batch;
    delay.disable();
    const longestStallMs = delay.max / 1e6;
    console.log(
      `batch of ${String(BATCH)}: ${batchMs.toFixed(0)} ms; longest event-loop stall ${longestStallMs.toFixed(1)} ms; /healthz answered ${String(healthAnsweredDuringBatch)} times meanwhile`,
    );
    expect(healthAnsweredDuringBatch).toBeGreaterThanOrEqual(2);
    expect(longestStallMs).toBeLessThan(batchMs / 4);
  });
});
