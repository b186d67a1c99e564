/**
 * How long a provider asked us to wait, in milliseconds: `retry-after-ms` (OpenAI's precise form)
 * wins over `retry-after`, which is either seconds or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 *
 * @example
 * retryAfterMs({ 'retry-after': '1' }, Date.now()) // 1000
 */
export function retryAfterMs(headers: Readonly<Record<string, string | undefined>> | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value?.trim()]));
  const precise = lower.get('retry-after-ms');
  if (precise && isNumber(precise)) return Math.round(Number(precise));
  const value = lower.get('retry-after');
  if (!value) return undefined;
  if (isNumber(value)) return Math.round(Number(value) * 1_000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isNumber(text: string): boolean {
  return /^[\d.]+$/.test(text) && Number.isFinite(Number(text));
}
