import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

const TOKEN = 'scrape-token-0123456789abcdef';

describe('GET /metrics', () => {
  let open: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([startTestApp(), startTestApp({ env: { PRESSBOX_METRICS_TOKEN: TOKEN } })]);
  });
  afterAll(async () => {
    await Promise.all([open.close(), guarded.close()]);
  });

  it('serves the Prometheus text format without a token when none is configured', async () => {
    const response = await open.fetch('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/^# HELP /m);
  });

  it('requires the configured token, and tells nothing to anyone without it', async () => {
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `bearer ${TOKEN}`,
      TOKEN,
      `Bearer ${TOKEN}, Bearer ${TOKEN}`,
    ]) {
      const response = await guarded.fetch('/metrics', authorization === undefined ? {} : { headers: { authorization } });
      expect(response.status, String(authorization)).toBe(401);
      const body = (await response.json()) as { code: string };
      expect(body.code).toBe('UNAUTHORIZED');
    }
    const scraped = await guarded.fetch('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('pressbox_');
  });

  it('does not accept a user session token instead', async () => {
    const response = await guarded.fetch('/metrics', { as: 'user_metrics' });
    expect(response.status).toBe(401);
  });
});
