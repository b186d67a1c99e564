/**
 * The query of a request target, without its `?` and any `#fragment`: `''` when there is none.
 * Read with `new URLSearchParams(queryOf(target))`; no URL object is built on the request path.
 *
 * @example
 * queryOf('/trpc/teams.get?batch=1&input=%7B%7D#x'); // 'batch=1&input=%7B%7D'
 */
export function queryOf(target: string): string {
  const start = target.indexOf('?');
  if (start < 0) return '';
  const end = target.indexOf('#', start);
  return target.slice(start + 1, end < 0 ? undefined : end);
}
