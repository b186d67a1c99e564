import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { ResilienceOptions } from '@pressbox/jobs';
import { createLogger, loadConfig, mintDevToken, startPressbox, type AppRouter, type Config } from '@pressbox/server';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { TestApp, TestAppOptions } from '../support/app.ts';
import { createScratchPostgres, pgliteFromSnapshot, type ScratchPostgres } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { jobBodySchema, summaryAnswerSchema, type JobBody, type SummaryAnswerBody, type SummaryBody } from './fixtures.ts';

export interface SummaryAppOptions extends TestAppOptions {
  /**
   * Retry and breaker settings of the OpenAI-compatible summarizer. The environment has no
   * variables for them, so they ride on the parsed configuration, which `createSummarizer`
   * receives whole.
   */
  resilience?: Partial<ResilienceOptions>;
}

/**
 * `startTestApp` plus the summarizer's resilience settings: the real Pressbox API on an
 * ephemeral port, dev auth, a private database and, when asked, the real Redis under a private prefix.
 */
export async function startSummaryApp(options: SummaryAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-summaries-'));
  const redisPrefix = `pbs${randomBytes(5).toString('hex')}`;
  let scratch: ScratchPostgres | undefined;
  let pglite: PGlite | undefined;
  if (options.database === 'postgres') scratch = await createScratchPostgres('pressbox_sum');
  else pglite = await pgliteFromSnapshot();
  const config = withResilience(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PRESSBOX_DATA_DIR: dataDir,
      PRESSBOX_SEED: 'none',
      PRESSBOX_REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
      ...(options.redis ? { REDIS_URL: redisUrl } : {}),
      ...options.env,
    }),
    options.resilience,
  );
  const running = await startPressbox(config, createLogger(config.logLevel), options.role ?? 'all', pglite ? { pglite } : {});
  const url = running.url ?? '';
  const token = (userId: string, tokenOptions: { ttlSeconds?: number; now?: number } = {}) => {
    const key = running.services.devKey;
    if (!key || config.auth.mode !== 'dev') throw new Error('token() needs dev auth mode');
    return mintDevToken(key, { userId, issuer: config.auth.issuer, ...tokenOptions });
  };
  return {
    url,
    running,
    dataDir,
    redisPrefix,
    pglite,
    token,
    fetch: async (path, init = {}) => {
      const { as, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('authorization', `Bearer ${token(as)}`);
      return fetch(`${url}${path}`, { ...rest, headers });
    },
    trpc: (userId) =>
      createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${token(userId)}` } })] }),
    close: async () => {
      await running.stop(1_000);
      if (pglite && !pglite.closed) await pglite.close();
      await scratch?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function withResilience(config: Config, resilience: Partial<ResilienceOptions> | undefined): Config {
  if (!resilience || config.llm.provider !== 'openai') return config;
  const llm = { ...config.llm, resilience };
  return { ...config, llm };
}

/** The environment that points the summarizer at a fake OpenAI-compatible server. */
export function llmEnv(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { LLM_BASE_URL: baseUrl, LLM_MODEL: 'fake-model', LLM_API_KEY: 'sk-test', LLM_TIMEOUT_MS: '5000', ...extra };
}

/** GET /teams/{teamId}/summary over REST: the status and the parsed body. */
export async function getSummary(
  app: TestApp,
  teamId: string,
  user: string,
  length = 'MEDIUM',
): Promise<{ status: number; body: SummaryAnswerBody }> {
  const response = await app.fetch(`/api/v1/teams/${teamId}/summary?length=${length}`, { as: user });
  return { status: response.status, body: summaryAnswerSchema.parse(await response.json()) };
}

/** GET /jobs/{jobId} over REST; undefined for a 404. */
export async function getJob(app: TestApp, jobId: string, user: string): Promise<JobBody | undefined> {
  const response = await app.fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}`, { as: user });
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`GET /jobs/${jobId} answered ${String(response.status)}`);
  return jobBodySchema.parse(await response.json());
}

/** Narrows a summary answer to a 200 body, failing with the answer when it is a 202. */
export function ready(answer: SummaryAnswerBody): SummaryBody {
  if (answer.status === 'pending') throw new Error(`Expected a summary, got pending job ${answer.jobId}`);
  return answer;
}

/** The summary once it exists: GET again while the answer is 202, for setups that only need one. */
export async function summaryOnceReady(app: TestApp, teamId: string, user: string, length = 'MEDIUM'): Promise<SummaryBody> {
  const { body } = await eventually(
    () => getSummary(app, teamId, user, length),
    (answer) => answer.body.status !== 'pending',
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  return ready(body);
}

/**
 * Reads `read()` until `done` accepts its value, at a short interval, and fails with the last
 * value once `timeoutMs` has passed: how these suites wait for a condition without sleeping.
 */
export async function eventually<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 25 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${String(timeoutMs)} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
