import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

describe('CORS for browser frontends', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { PRESSBOX_CORS_ORIGINS: 'https://app.pressbox.test' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a preflight from a configured origin, for REST and tRPC', async () => {
    for (const path of ['/api/v1/teams', '/trpc/teams.list']) {
      const response = await app.fetch(path, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.pressbox.test',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.pressbox.test');
      expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('lets a configured origin read answers and the request id', async () => {
    const response = await app.fetch('/api/v1/teams?limit=1', { as: 'user_cors', headers: { origin: 'https://app.pressbox.test' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.pressbox.test');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('gives other origins no CORS headers', async () => {
    const response = await app.fetch('/api/v1/teams?limit=1', { as: 'user_cors', headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.fetch('/api/v1/teams', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
