import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, frontendApiHost, loadConfig } from './config.ts';

const pk = (host: string) => `pk_test_${Buffer.from(`${host}$`).toString('base64')}`;

describe('loadConfig', () => {
  it('starts with no configuration at all: embedded database, dev auth, extractive summaries, demo seed', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/srv/app/.pressbox',
      databaseUrl: undefined,
      redisUrl: undefined,
      auth: { mode: 'dev' },
      llm: { provider: 'extractive' },
      seed: 'demo',
      migrate: true,
      rateLimits: { userPerMinute: 600, ipPerMinute: 1200 },
      limits: { jsonDepth: 64, batchCalls: 50, subscriptionsPerConnection: 50, subscriptionsPerUser: 100 },
      summaryDebounceMs: 30_000,
      feedAllowPrivateNetworks: false,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['AUTH_MODE', 'magic'],
    ['RATE_LIMIT_USER_PER_MIN', '-1'],
    ['FEED_ALLOW_PRIVATE_NETWORKS', 'perhaps'],
    ['LOG_LEVEL', 'loud'],
    ['LLM_BASE_URL', 'ftp://models'],
    ['PRESSBOX_SEED', 'everything'],
    ['LLM_MAX_ATTEMPTS', '0'],
    ['LLM_BREAKER_THRESHOLD', 'many'],
    ['LLM_BREAKER_COOLDOWN_MS', '-5'],
  ])('stops on a bad %s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(`  ${name}:`);
  });

  it('never echoes a secret value in its message', () => {
    const secret = 'sk_live_this_must_not_leak';
    try {
      loadConfig({ CLERK_SECRET_KEY: `${secret} with spaces` });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('CLERK_SECRET_KEY');
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('refuses dev auth in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_MODE/);
  });

  it('switches to Clerk when Clerk keys are given and derives the issuer from the publishable key', () => {
    const config = loadConfig({ CLERK_SECRET_KEY: 'sk_test_abc', CLERK_PUBLISHABLE_KEY: pk('clerk.example.com') });
    expect(config.auth).toMatchObject({ mode: 'clerk', issuer: 'https://clerk.example.com', apiUrl: 'https://api.clerk.com' });
    expect(
      loadConfig({ CLERK_SECRET_KEY: 'sk_test_abc', CLERK_PUBLISHABLE_KEY: pk('x.test'), CLERK_ISSUER: 'https://issuer.test' }).auth,
    ).toMatchObject({
      issuer: 'https://issuer.test',
    });
  });

  it('requires a publishable key and a secret or JWT key in Clerk mode', () => {
    expect(() => loadConfig({ AUTH_MODE: 'clerk', CLERK_SECRET_KEY: 'sk_test_abc' })).toThrow(/CLERK_PUBLISHABLE_KEY/);
    expect(() => loadConfig({ AUTH_MODE: 'clerk', CLERK_PUBLISHABLE_KEY: pk('a.test') })).toThrow(/CLERK_SECRET_KEY/);
  });

  it('accepts an RSA PEM as CLERK_JWT_KEY, with its newlines escaped as \\n, and refuses other keys', () => {
    const pem = (key: ReturnType<typeof generateKeyPairSync>['publicKey']) => key.export({ format: 'pem', type: 'spki' }).toString();
    const rsa = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
    const clerk = (jwtKey: string) => loadConfig({ CLERK_JWT_KEY: jwtKey, CLERK_PUBLISHABLE_KEY: pk('a.test') });
    expect(clerk(rsa.replaceAll('\n', '\\n')).auth).toMatchObject({ mode: 'clerk', jwtKey: rsa });
    const short = pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
    const ec = pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    for (const bad of [short, ec, '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----']) {
      expect(() => clerk(bad)).toThrow(/CLERK_JWT_KEY: expected an RSA public key/);
    }
  });

  it('reads CLERK_AUTHORIZED_PARTIES and admin ids as comma lists', () => {
    const config = loadConfig({
      CLERK_SECRET_KEY: 'sk_test_abc',
      CLERK_PUBLISHABLE_KEY: pk('a.test'),
      CLERK_AUTHORIZED_PARTIES: 'https://a.example, https://b.example',
      PRESSBOX_ADMIN_USER_IDS: 'user_1, user_2,,',
    });
    expect(config.auth).toMatchObject({ authorizedParties: ['https://a.example', 'https://b.example'] });
    expect([...config.adminUserIds]).toEqual(['user_1', 'user_2']);
  });

  it('allows CORS for configured origins and Clerk’s authorized parties, by origin', () => {
    const config = loadConfig({
      CLERK_SECRET_KEY: 'sk_test_abc',
      CLERK_PUBLISHABLE_KEY: pk('a.test'),
      CLERK_AUTHORIZED_PARTIES: 'https://app.example.com',
      PRESSBOX_CORS_ORIGINS: 'https://admin.example.com/, https://app.example.com',
    });
    expect(config.corsOrigins).toEqual(['https://admin.example.com', 'https://app.example.com']);
    expect(() => loadConfig({ PRESSBOX_CORS_ORIGINS: 'not a url' })).toThrow(/PRESSBOX_CORS_ORIGINS/);
  });

  it('reads PRESSBOX_TRUST_PROXY as a boolean, a hop count or addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PRESSBOX_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ PRESSBOX_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ PRESSBOX_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(() => loadConfig({ PRESSBOX_TRUST_PROXY: 'everyone!' })).toThrow(/PRESSBOX_TRUST_PROXY/);
  });

  it('chooses the openai provider when an LLM base URL or key is set', () => {
    expect(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }).llm).toMatchObject({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    expect(loadConfig({ LLM_API_KEY: 'k' }).llm).toMatchObject({ provider: 'openai', baseUrl: 'https://api.openai.com/v1' });
  });

  it('reads the LLM retry and circuit-breaker settings', () => {
    expect(loadConfig({ LLM_API_KEY: 'k' }).llm).toMatchObject({
      resilience: { maxAttempts: 3, failureThreshold: 5, halfOpenAfterMs: 30_000 },
    });
    const tuned = loadConfig({ LLM_API_KEY: 'k', LLM_MAX_ATTEMPTS: '1', LLM_BREAKER_THRESHOLD: '2', LLM_BREAKER_COOLDOWN_MS: '5000' });
    expect(tuned.llm).toMatchObject({ resilience: { maxAttempts: 1, failureThreshold: 2, halfOpenAfterMs: 5_000 } });
  });

  it('seeds demo data only for the embedded database by default', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/x' }).seed).toBe('none');
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/x', PRESSBOX_SEED: 'demo' }).seed).toBe('demo');
  });

  it('decodes the Frontend API host of a publishable key and rejects junk', () => {
    expect(frontendApiHost(pk('clerk.pressbox.app'))).toBe('clerk.pressbox.app');
    expect(frontendApiHost('pk_test_bm9wZQ')).toBeUndefined();
  });
});
