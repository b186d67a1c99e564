import { ProviderRejectedError, TransientProviderError } from './errors.ts';
import { retryAfterMs } from './retry-after.ts';

export interface ProbeTarget {
  /** Includes the version path (`http://127.0.0.1:11434/v1`). */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  fetch?: typeof globalThis.fetch | undefined;
}

/**
 * The breaker's timed probe of an OpenAI-compatible provider: the smallest chat completion (one
 * output token), so it goes through exactly what summaries go through. Resolves when the
 * provider answered; throws `TransientProviderError` for a network error, 408, 429 or 5xx, the
 * same classification as a summary request, and `ProviderRejectedError` for any other refusal
 * (the provider is up; summaries will report why it refused).
 *
 * @example
 * const policy = new ProviderPolicy({ probe: (signal) => probeProvider({ baseUrl, model }, signal) });
 */
export async function probeProvider(target: ProbeTarget, signal: AbortSignal): Promise<void> {
  const send = target.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await send(`${target.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/json',
        ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: target.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }),
    });
  } catch (error: unknown) {
    if (signal.aborted) throw error;
    throw new TransientProviderError(undefined, 'The summary provider could not be reached', undefined, { cause: error });
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return;
  const { status } = response;
  if (status === 408 || status === 429 || status >= 500) {
    throw new TransientProviderError(
      status,
      `The summary provider answered ${String(status)}`,
      retryAfterMs(Object.fromEntries(response.headers), Date.now()),
    );
  }
  throw new ProviderRejectedError(status, `The summary provider refused the probe with ${String(status)}`);
}
