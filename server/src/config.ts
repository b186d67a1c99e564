import { createPublicKey } from 'node:crypto';
import { resolve } from 'node:path';
import type { SummarizerConfig } from '@pressbox/jobs';
import { z } from 'zod';

/** A configuration error: names every bad variable; never echoes secret values. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const flag = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] });
const count = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000_000).default(fallback);
const httpUrl = z.url({ protocol: /^https?$/ });
const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  PRESSBOX_DATA_DIR: z.string().min(1).default('./.pressbox'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  PRESSBOX_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, colon, dash and underscore only')
    .default('pressbox'),
  AUTH_MODE: z.enum(['dev', 'clerk']).optional(),
  CLERK_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_\S+$/, 'expected a Clerk secret key (sk_test_… or sk_live_…)')
    .optional(),
  CLERK_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9+/=_-]+$/, 'expected a Clerk publishable key (pk_test_… or pk_live_…)')
    .optional(),
  CLERK_JWT_KEY: z.string().includes('PUBLIC KEY', { error: 'expected a PEM public key' }).optional(),
  CLERK_API_URL: httpUrl.default('https://api.clerk.com'),
  CLERK_AUTHORIZED_PARTIES: commaList.pipe(z.array(httpUrl)).optional(),
  CLERK_WEBHOOK_SIGNING_SECRET: z
    .string()
    .regex(/^whsec_\S+$/, 'expected a webhook signing secret (whsec_…)')
    .optional(),
  CLERK_ISSUER: httpUrl.optional(),
  PRESSBOX_ADMIN_USER_IDS: commaList.default([]),
  PRESSBOX_CORS_ORIGINS: commaList.pipe(z.array(httpUrl)).default([]),
  PRESSBOX_METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').max(256).optional(),
  PRESSBOX_TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[0-9a-fA-F.:/, ]+|loopback|linklocal|uniquelocal)$/,
      'expected true, false, a hop count, or addresses/CIDRs',
    )
    .default('false'),
  LLM_PROVIDER: z.enum(['extractive', 'openai']).optional(),
  LLM_BASE_URL: httpUrl.optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  LLM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  LLM_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1_000).default(5),
  LLM_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  FEED_ALLOW_PRIVATE_NETWORKS: flag.default(false),
  PRESSBOX_SEED: z.enum(['demo', 'none']).optional(),
  RATE_LIMIT_USER_PER_MIN: count(600),
  RATE_LIMIT_IP_PER_MIN: count(1200),
  SUMMARY_DEBOUNCE_MS: count(30_000),
  PRESSBOX_MIGRATE: flag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

type Env = z.infer<typeof env>;

/** Every environment variable Pressbox reads (README and .env.example document each one). */
export const configVariableNames: readonly string[] = Object.keys(env.shape);

export type AuthConfig =
  | { mode: 'dev'; issuer: string }
  | {
      mode: 'clerk';
      secretKey: string | undefined;
      publishableKey: string;
      jwtKey: string | undefined;
      apiUrl: string;
      authorizedParties: string[];
      issuer: string;
    };

/** The summarizer of the configuration, in the summarizer's own terms. */
export type LlmConfig = SummarizerConfig;

/** What one request or connection may ask of the server; each is documented in the README. */
export interface RequestLimits {
  /** Deepest nesting of arrays and objects in a JSON body or tRPC `input`. */
  jsonDepth: number;
  /** Procedure calls in one tRPC batch (HTTP or WebSocket). */
  batchCalls: number;
  /** Calls of one request (or one WebSocket connection) that run at the same time. */
  concurrentCalls: number;
  /** Live subscriptions of one WebSocket connection. */
  subscriptionsPerConnection: number;
  /** Live subscriptions of one user across the connections of an API process. */
  subscriptionsPerUser: number;
}

export const defaultRequestLimits: RequestLimits = {
  jsonDepth: 64,
  batchCalls: 50,
  concurrentCalls: 2,
  subscriptionsPerConnection: 50,
  subscriptionsPerUser: 100,
};

export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of every Redis key and pub/sub channel, so several deployments can share one Redis. */
  redisPrefix: string;
  auth: AuthConfig;
  webhookSigningSecret: string | undefined;
  adminUserIds: ReadonlySet<string>;
  /** Browser origins allowed to call the API (CORS): these plus Clerk's authorized parties. */
  corsOrigins: readonly string[];
  /** Express `trust proxy`: how far to trust X-Forwarded-For for client addresses (rate limits). */
  trustProxy: boolean | number | string;
  /** Bearer token `GET /metrics` requires; open when unset. */
  metricsToken: string | undefined;
  llm: LlmConfig;
  feedAllowPrivateNetworks: boolean;
  seed: 'demo' | 'none';
  rateLimits: { userPerMinute: number; ipPerMinute: number };
  limits: RequestLimits;
  summaryDebounceMs: number;
  migrate: boolean;
  logLevel: Env['LOG_LEVEL'];
  nodeEnv: Env['NODE_ENV'];
}

/** A PEM key Clerk can sign session tokens with: RSA, 2048 bits or more. */
function isRsaPublicKeyPem(pem: string): boolean {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  } catch {
    return false;
  }
}

/** The Frontend API host Clerk encodes in a publishable key: `pk_test_` + base64("<host>$"). */
export function frontendApiHost(publishableKey: string): string | undefined {
  const encoded = publishableKey.replace(/^pk_(test|live)_/, '');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  if (!decoded.endsWith('$')) return undefined;
  const host = decoded.slice(0, -1);
  return /^[a-z0-9.:-]+$/i.test(host) && URL.canParse(`https://${host}`) ? host : undefined;
}

/**
 * Reads and validates the environment. Empty values count as unset. Throws a ConfigError that
 * names each bad variable, so the process stops before it serves anything.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = env.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  const problems: string[] = [];

  const auth = authConfig(values, problems);
  const llm = llmConfig(values);

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);

  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: resolve(cwd, values.PRESSBOX_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    redisPrefix: values.PRESSBOX_REDIS_PREFIX,
    auth,
    webhookSigningSecret: values.CLERK_WEBHOOK_SIGNING_SECRET,
    adminUserIds: new Set(values.PRESSBOX_ADMIN_USER_IDS),
    corsOrigins: [
      ...new Set(
        [...values.PRESSBOX_CORS_ORIGINS, ...(auth.mode === 'clerk' ? auth.authorizedParties : [])].map((origin) => new URL(origin).origin),
      ),
    ],
    trustProxy: parseTrustProxy(values.PRESSBOX_TRUST_PROXY),
    metricsToken: values.PRESSBOX_METRICS_TOKEN,
    llm,
    feedAllowPrivateNetworks: values.FEED_ALLOW_PRIVATE_NETWORKS,
    seed: values.PRESSBOX_SEED ?? (values.DATABASE_URL ? 'none' : 'demo'),
    rateLimits: { userPerMinute: values.RATE_LIMIT_USER_PER_MIN, ipPerMinute: values.RATE_LIMIT_IP_PER_MIN },
    limits: defaultRequestLimits,
    summaryDebounceMs: values.SUMMARY_DEBOUNCE_MS,
    migrate: values.PRESSBOX_MIGRATE,
    logLevel: values.LOG_LEVEL,
    nodeEnv: values.NODE_ENV,
  };
}

/** Clerk or dev auth, as the variables choose; what is missing or refused goes to `problems`. */
function authConfig(values: Env, problems: string[]): AuthConfig {
  const authMode = values.AUTH_MODE ?? (values.CLERK_SECRET_KEY || values.CLERK_PUBLISHABLE_KEY || values.CLERK_JWT_KEY ? 'clerk' : 'dev');
  if (authMode === 'clerk') {
    const host = values.CLERK_PUBLISHABLE_KEY ? frontendApiHost(values.CLERK_PUBLISHABLE_KEY) : undefined;
    if (!values.CLERK_PUBLISHABLE_KEY) problems.push('CLERK_PUBLISHABLE_KEY: required when AUTH_MODE=clerk');
    else if (!host && !values.CLERK_ISSUER) problems.push('CLERK_PUBLISHABLE_KEY: does not encode a Frontend API host');
    if (!values.CLERK_SECRET_KEY && !values.CLERK_JWT_KEY) {
      problems.push('CLERK_SECRET_KEY: required when AUTH_MODE=clerk unless CLERK_JWT_KEY is set');
    }
    const jwtKey = values.CLERK_JWT_KEY?.replace(/\\n/g, '\n');
    if (jwtKey !== undefined && !isRsaPublicKeyPem(jwtKey)) {
      problems.push('CLERK_JWT_KEY: expected an RSA public key in PEM form, of at least 2048 bits (Clerk: API keys → JWT public key)');
    }
    return {
      mode: 'clerk',
      secretKey: values.CLERK_SECRET_KEY,
      publishableKey: values.CLERK_PUBLISHABLE_KEY ?? '',
      jwtKey,
      apiUrl: values.CLERK_API_URL.replace(/\/+$/, ''),
      authorizedParties: values.CLERK_AUTHORIZED_PARTIES ?? [],
      issuer: values.CLERK_ISSUER ?? `https://${host ?? ''}`,
    };
  }
  if (values.NODE_ENV === 'production') {
    problems.push('AUTH_MODE: dev auth is refused with NODE_ENV=production; configure Clerk (CLERK_SECRET_KEY, CLERK_PUBLISHABLE_KEY)');
  }
  return { mode: 'dev', issuer: values.CLERK_ISSUER ?? 'https://pressbox.dev.local' };
}

/** The summarizer: an OpenAI-compatible server when one is configured, else the extractive one. */
function llmConfig(values: Env): LlmConfig {
  const llmProvider = values.LLM_PROVIDER ?? (values.LLM_BASE_URL || values.LLM_API_KEY ? 'openai' : 'extractive');
  return llmProvider === 'openai'
    ? {
        provider: 'openai',
        baseUrl: (values.LLM_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
        apiKey: values.LLM_API_KEY,
        model: values.LLM_MODEL,
        timeoutMs: values.LLM_TIMEOUT_MS,
        resilience: {
          maxAttempts: values.LLM_MAX_ATTEMPTS,
          failureThreshold: values.LLM_BREAKER_THRESHOLD,
          halfOpenAfterMs: values.LLM_BREAKER_COOLDOWN_MS,
        },
      }
    : { provider: 'extractive' };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
