import type { ResilienceOptions } from '@pressbox/jobs';
import type { Config } from '@pressbox/server';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/app.ts';
import { jobBodySchema, summaryAnswerSchema, type JobBody, type SummaryAnswerBody, type SummaryBody } from './fixtures.ts';
import { eventually } from '../support/waiting.ts';

export interface SummaryAppOptions extends TestAppOptions {
  /**
   * Retry, backoff and breaker settings of the OpenAI-compatible summarizer beyond the ones the
   * environment carries (LLM_MAX_ATTEMPTS, LLM_BREAKER_*): backoff delays and clocks, so the
   * suites run in milliseconds. They ride on the parsed configuration, which `createSummarizer`
   * receives whole.
   */
  resilience?: Partial<ResilienceOptions>;
}

/**
 * `startTestApp` plus the summarizer's resilience settings: the real Pressbox API on an
 * ephemeral port, dev auth, a private database and, when asked, the real Redis under a private prefix.
 */
export function startSummaryApp(options: SummaryAppOptions = {}): Promise<TestApp> {
  const { resilience, ...appOptions } = options;
  return startTestApp({ ...appOptions, configure: (config) => withResilience(config, resilience) });
}

function withResilience(config: Config, resilience: Partial<ResilienceOptions> | undefined): Config {
  if (!resilience || config.llm.provider !== 'openai') return config;
  const llm = { ...config.llm, resilience: { ...config.llm.resilience, ...resilience } };
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

export { eventually };
