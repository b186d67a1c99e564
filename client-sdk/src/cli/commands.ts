/* eslint-disable security/detect-non-literal-fs-filename -- the CLI reads and writes the files its user names */
import { readFile, writeFile } from 'node:fs/promises';
import { PressboxError, unwrap } from '../index.ts';
import { arg, boolFlag, flag, intFlag, oneOf, PARTIAL_FAILURE, UsageError, type Command } from './context.ts';
import { waitForJob } from './jobs.ts';
import { progress } from './output.ts';
import { watch } from './watch.ts';

const leagues = ['NBA', 'NFL', 'MLB', 'NHL', 'PREMIER_LEAGUE'] as const;
const lengths = ['SHORT', 'MEDIUM', 'LONG'] as const;
const page = {
  limit: { type: 'string', description: 'items per page, 1-100 (default 20)' },
  cursor: { type: 'string', description: 'the nextCursor of the previous page' },
} as const;
const wait = { wait: { type: 'boolean', description: 'wait for the job to finish, showing its progress' } } as const;

async function maybeWait(context: Parameters<Command['run']>[0], accepted: { jobId: string }): Promise<unknown> {
  if (context.flags.wait !== true) return accepted;
  const job = await waitForJob(context.client, accepted.jobId);
  if (job.state === 'failed') context.fail(1);
  return job;
}

export const commands: Record<string, Command> = {
  me: { usage: 'me', summary: 'the signed-in user', run: (c) => unwrap(c.client.GET('/me', {})) },
  preferences: { usage: 'preferences', summary: 'your preferences', run: (c) => unwrap(c.client.GET('/me/preferences', {})) },
  teams: {
    usage: 'teams [--league L] [--q TEXT] [--followed true|false] [--limit N] [--cursor C]',
    summary: 'list teams',
    flags: {
      league: { type: 'string', description: leagues.join(' | ') },
      q: { type: 'string', description: 'search in names and cities' },
      followed: { type: 'string', description: 'true: only teams you follow; false: only the others' },
      ...page,
    },
    run: (c) =>
      unwrap(
        c.client.GET('/teams', {
          params: {
            query: {
              league: oneOf(c, 'league', leagues),
              q: flag(c, 'q'),
              followed: boolFlag(c, 'followed'),
              limit: intFlag(c, 'limit'),
              cursor: flag(c, 'cursor'),
            },
          },
        }),
      ),
  },
  team: {
    usage: 'team <teamId>',
    summary: 'one team',
    run: (c) => unwrap(c.client.GET('/teams/{teamId}', { params: { path: { teamId: arg(c, 0, 'teamId') } } })),
  },
  follow: {
    usage: 'follow <teamId>',
    summary: 'follow a team',
    run: (c) => unwrap(c.client.PUT('/me/follows/{teamId}', { params: { path: { teamId: arg(c, 0, 'teamId') } } })),
  },
  unfollow: {
    usage: 'unfollow <teamId>',
    summary: 'stop following a team',
    run: (c) => unwrap(c.client.DELETE('/me/follows/{teamId}', { params: { path: { teamId: arg(c, 0, 'teamId') } } })),
  },
  news: {
    usage: 'news <teamId> [--q TEXT] [--sort newest|oldest|relevance] [--limit N] [--cursor C]',
    summary: "a team's news",
    flags: {
      q: { type: 'string', description: 'full-text search' },
      sort: { type: 'string', description: 'newest | oldest | relevance' },
      ...page,
    },
    run: (c) =>
      unwrap(
        c.client.GET('/teams/{teamId}/news', {
          params: {
            path: { teamId: arg(c, 0, 'teamId') },
            query: {
              q: flag(c, 'q'),
              sort: oneOf(c, 'sort', ['newest', 'oldest', 'relevance']),
              limit: intFlag(c, 'limit'),
              cursor: flag(c, 'cursor'),
            },
          },
        }),
      ),
  },
  feed: {
    usage: 'feed [--limit N] [--cursor C]',
    summary: 'news across the teams you follow',
    flags: { ...page },
    run: (c) => unwrap(c.client.GET('/me/feed', { params: { query: { limit: intFlag(c, 'limit'), cursor: flag(c, 'cursor') } } })),
  },
  games: {
    usage: 'games <teamId> [--season S] [--status ST] [--limit N] [--cursor C]',
    summary: "a team's games",
    flags: {
      season: { type: 'string', description: 'e.g. 2025-26' },
      status: { type: 'string', description: 'SCHEDULED | IN_PROGRESS | FINAL | POSTPONED | CANCELED' },
      ...page,
    },
    run: (c) =>
      unwrap(
        c.client.GET('/teams/{teamId}/games', {
          params: {
            path: { teamId: arg(c, 0, 'teamId') },
            query: {
              season: flag(c, 'season'),
              status: oneOf(c, 'status', ['SCHEDULED', 'IN_PROGRESS', 'FINAL', 'POSTPONED', 'CANCELED']),
              limit: intFlag(c, 'limit'),
              cursor: flag(c, 'cursor'),
            },
          },
        }),
      ),
  },
  dashboard: {
    usage: 'dashboard <teamId> [--timezone TZ]',
    summary: "a team's dashboard",
    flags: { timezone: { type: 'string', description: 'IANA time zone for news per day' } },
    run: (c) =>
      unwrap(
        c.client.GET('/teams/{teamId}/dashboard', {
          params: { path: { teamId: arg(c, 0, 'teamId') }, query: { timezone: flag(c, 'timezone') } },
        }),
      ),
  },
  summary: {
    usage: 'summary <teamId> [--length SHORT|MEDIUM|LONG] [--wait]',
    summary: "a team's AI summary (with --wait, waits while it is being made)",
    flags: { length: { type: 'string', description: lengths.join(' | ') }, ...wait },
    run: async (c) => {
      const get = () =>
        unwrap(
          c.client.GET('/teams/{teamId}/summary', {
            params: { path: { teamId: arg(c, 0, 'teamId') }, query: { length: oneOf(c, 'length', lengths) } },
          }),
        );
      const first = await get();
      if (!('jobId' in first) || c.flags.wait !== true) return first;
      const job = await waitForJob(c.client, first.jobId);
      if (job.state === 'failed') {
        c.fail(1);
        return job;
      }
      return get();
    },
  },
  job: {
    usage: 'job <jobId> [--wait]',
    summary: 'state, progress and result of a job',
    flags: { ...wait },
    run: async (c) => {
      const jobId = arg(c, 0, 'jobId');
      return c.flags.wait === true ? maybeWait(c, { jobId }) : unwrap(c.client.GET('/jobs/{jobId}', { params: { path: { jobId } } }));
    },
  },
  watch: {
    usage: 'watch <teamId> [--since EVENT_ID]',
    summary: "stream a team's news live over WebSocket; reconnects and resumes where it stopped (Ctrl-C ends)",
    flags: { since: { type: 'string', description: 'resume after this event id' } },
    run: (c) => watch(c, arg(c, 0, 'teamId'), flag(c, 'since')),
  },
  sources: {
    usage: 'sources [--status ACTIVE|PAUSED|FAILING] [--team ID] [--limit N] [--cursor C]',
    summary: 'feed sources (admins)',
    flags: {
      status: { type: 'string', description: 'ACTIVE | PAUSED | FAILING' },
      team: { type: 'string', description: 'only the sources of this team' },
      ...page,
    },
    run: (c) =>
      unwrap(
        c.client.GET('/sources', {
          params: {
            query: {
              status: oneOf(c, 'status', ['ACTIVE', 'PAUSED', 'FAILING']),
              teamId: flag(c, 'team'),
              limit: intFlag(c, 'limit'),
              cursor: flag(c, 'cursor'),
            },
          },
        }),
      ),
  },
  'sources import': {
    usage: 'sources import <file.opml> [--team ID,ID] [--league L]',
    summary: 'add the feeds of an OPML file (admins)',
    flags: {
      team: { type: 'string', description: 'comma list of team ids the feeds are about' },
      league: { type: 'string', description: 'the league the feeds are about' },
    },
    run: async (c) => {
      const opml = await readFile(arg(c, 0, 'file.opml'), 'utf8');
      progress(`importing ${String((opml.match(/<outline\b[^>]*xmlUrl=/gi) ?? []).length)} feeds…`);
      const report = await unwrap(
        c.client.POST('/sources/import', {
          body: { opml, teamIds: flag(c, 'team')?.split(',') ?? [], league: oneOf(c, 'league', leagues) },
        }),
      );
      progress(`created ${String(report.created.length)}, skipped ${String(report.skipped.length)}`);
      return report;
    },
  },
  'sources export': {
    usage: 'sources export [--output FILE]',
    summary: 'every source as OPML 2.0, to stdout or a file (admins)',
    flags: { output: { type: 'string', description: 'write the OPML here instead of stdout' } },
    run: async (c) => {
      const exported = await unwrap(c.client.GET('/sources/export', {}));
      const output = flag(c, 'output');
      if (output) {
        await writeFile(output, exported.opml);
        progress(`wrote ${String(exported.count)} sources to ${output}`);
        return { count: exported.count, output };
      }
      return c.json ? exported : exported.opml;
    },
  },
  'add-source': {
    usage: 'add-source <url> [--team ID,ID] [--league L] [--name NAME] [--wait]',
    summary: 'add a feed source and fetch it (admins)',
    flags: {
      team: { type: 'string', description: 'comma list of team ids' },
      league: { type: 'string', description: 'a league, for league-wide feeds' },
      name: { type: 'string', description: 'a display name' },
      ...wait,
    },
    run: async (c) => {
      const created = await unwrap(
        c.client.POST('/sources', {
          body: {
            url: arg(c, 0, 'url'),
            name: flag(c, 'name'),
            league: oneOf(c, 'league', leagues),
            teamIds: flag(c, 'team')?.split(',') ?? [],
          },
        }),
      );
      if (c.flags.wait !== true) return created;
      return { source: created.source, job: await maybeWait(c, created) };
    },
  },
  'refresh-source': {
    usage: 'refresh-source <sourceId> [--wait]',
    summary: 'fetch a source now (admins)',
    flags: { ...wait },
    run: async (c) => {
      const accepted = await unwrap(
        c.client.POST('/sources/{sourceId}/refresh', { params: { path: { sourceId: arg(c, 0, 'sourceId') } } }),
      );
      return maybeWait(c, accepted);
    },
  },
  'import-games': {
    usage: 'import-games <file.csv|file.json>',
    summary: 'import game rows (admins); exits 3 when rows were rejected, printing the report',
    run: async (c) => {
      const path = arg(c, 0, 'file');
      const text = await readFile(path, 'utf8');
      let body: { csv: string } | { rows: Record<string, unknown>[] };
      if (path.endsWith('.json')) {
        const rows: unknown = JSON.parse(text);
        if (!Array.isArray(rows)) throw new UsageError(`${path} must hold a JSON array of rows`);
        body = { rows: rows as Record<string, unknown>[] };
      } else body = { csv: text };
      const count = 'rows' in body ? body.rows.length : Math.max(0, text.trim().split('\n').length - 1);
      progress(`importing ${String(count)} rows…`);
      const report = await unwrap(c.client.POST('/games/import', { body }));
      progress(
        `inserted ${String(report.inserted)}, updated ${String(report.updated)}, unchanged ${String(report.unchanged)}, rejected ${String(report.rejected.length)}`,
      );
      if (report.rejected.length > 0) c.fail(PARTIAL_FAILURE);
      return report;
    },
  },
  request: {
    usage: 'request <METHOD> <path> [--body JSON]',
    summary: 'call any REST path, e.g. request GET /teams/nba-bos',
    flags: { body: { type: 'string', description: 'a JSON request body' } },
    run: async (c) => {
      const method = arg(c, 0, 'METHOD').toUpperCase();
      const path = arg(c, 1, 'path');
      if (!path.startsWith('/')) throw new UsageError('<path> starts with /, e.g. /teams');
      const body = flag(c, 'body');
      const response = await fetch(`${c.baseUrl}/api/v1${path}`, {
        method,
        headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body,
      }).catch((error: unknown) => {
        throw PressboxError.transport('NETWORK_ERROR', `${method} ${path} failed: ${String(error)}`, error);
      });
      const answer: unknown = await response.json().catch(() => null);
      if (!response.ok) throw new PressboxError(response.status, answer ?? {}, response.headers.get('retry-after'));
      return answer;
    },
  },
};
