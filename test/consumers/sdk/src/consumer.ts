/*
 * An internal tool on the published SDK, written as a project outside the repository writes it:
 * it depends on `@pressbox/client` only and compiles under `strict` without `skipLibCheck`.
 */
import { createPressboxClient, paginate, PressboxError, unwrap } from '@pressbox/client';

export async function run(baseUrl: string, token: string) {
  const pressbox = createPressboxClient({ baseUrl, token: () => token, timeoutMs: 5_000, retry: { retries: 1 } });
  const team = await unwrap(pressbox.GET('/teams/{teamId}', { params: { path: { teamId: 'nba-bos' } } }));
  const names: string[] = [];
  for await (const each of paginate((cursor) => pressbox.GET('/teams', { params: { query: { league: 'NHL', cursor } } }))) {
    names.push(each.name);
  }
  const missing = await unwrap(pressbox.GET('/teams/{teamId}', { params: { path: { teamId: 'nba-none' } } })).catch(
    (error: unknown) => error,
  );
  const offline = createPressboxClient({ baseUrl: 'http://127.0.0.1:9', retry: false });
  const unreachable = await unwrap(offline.GET('/me', {})).catch((error: unknown) => error);
  return {
    team: team.name,
    nhlTeams: names.length,
    missing: missing instanceof PressboxError ? `${missing.code} ${String(missing.status)}` : 'not a PressboxError',
    unreachable: unreachable instanceof PressboxError ? unreachable.code : 'not a PressboxError',
  };
}
