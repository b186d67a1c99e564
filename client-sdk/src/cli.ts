#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createPressboxClient, PressboxError, unwrap, type PressboxClient } from './index.ts';

const usage = `pressbox: command-line client for the Pressbox API

Environment: PRESSBOX_URL (default http://localhost:3000), PRESSBOX_TOKEN (a session token)

Commands:
  me                                   the signed-in user
  teams [--league L] [--q TEXT] [--followed true|false] [--limit N] [--cursor C]
  team <teamId>
  news <teamId> [--q TEXT] [--sort newest|oldest|relevance] [--limit N] [--cursor C]
  feed [--limit N]                     news across the teams you follow
  games <teamId> [--season S] [--status ST]
  dashboard <teamId> [--timezone TZ]
  summary <teamId> [--length SHORT|MEDIUM|LONG]
  follow <teamId> | unfollow <teamId>
  preferences                          show your preferences
  job <jobId>
  sources [--status ACTIVE|PAUSED|FAILING]                      (admins)
  add-source <url> [--team ID] [--league L] [--name NAME]       (admins)
  refresh-source <sourceId>                                     (admins)
  import-games <file.csv|file.json>                             (admins)
  request <METHOD> <path> [--body JSON] call any REST path, e.g. request GET /teams/nba-bos

Every command prints JSON. Errors print the error body to stderr and exit 1.`;

type Handler = (client: PressboxClient, args: string[], flags: Record<string, string | undefined>) => Promise<unknown>;

const commands: Record<string, Handler> = {
  me: (client) => unwrap(client.GET('/me', {})),
  preferences: (client) => unwrap(client.GET('/me/preferences', {})),
  teams: (client, _args, flags) =>
    unwrap(
      client.GET('/teams', {
        params: {
          query: {
            league: flags.league as 'NBA' | undefined,
            q: flags.q,
            followed: flags.followed,
            limit: flags.limit ? Number(flags.limit) : undefined,
            cursor: flags.cursor,
          },
        },
      }),
    ),
  team: (client, [teamId]) => unwrap(client.GET('/teams/{teamId}', { params: { path: { teamId: required(teamId, 'teamId') } } })),
  follow: (client, [teamId]) => unwrap(client.PUT('/me/follows/{teamId}', { params: { path: { teamId: required(teamId, 'teamId') } } })),
  unfollow: (client, [teamId]) =>
    unwrap(client.DELETE('/me/follows/{teamId}', { params: { path: { teamId: required(teamId, 'teamId') } } })),
  news: (client, [teamId], flags) =>
    unwrap(
      client.GET('/teams/{teamId}/news', {
        params: {
          path: { teamId: required(teamId, 'teamId') },
          query: {
            q: flags.q,
            sort: flags.sort as 'newest' | undefined,
            limit: flags.limit ? Number(flags.limit) : undefined,
            cursor: flags.cursor,
          },
        },
      }),
    ),
  feed: (client, _args, flags) =>
    unwrap(client.GET('/me/feed', { params: { query: { limit: flags.limit ? Number(flags.limit) : undefined } } })),
  games: (client, [teamId], flags) =>
    unwrap(
      client.GET('/teams/{teamId}/games', {
        params: {
          path: { teamId: required(teamId, 'teamId') },
          query: { season: flags.season, status: flags.status as 'FINAL' | undefined },
        },
      }),
    ),
  dashboard: (client, [teamId], flags) =>
    unwrap(
      client.GET('/teams/{teamId}/dashboard', {
        params: { path: { teamId: required(teamId, 'teamId') }, query: { timezone: flags.timezone } },
      }),
    ),
  summary: (client, [teamId], flags) =>
    unwrap(
      client.GET('/teams/{teamId}/summary', {
        params: { path: { teamId: required(teamId, 'teamId') }, query: { length: flags.length as 'MEDIUM' | undefined } },
      }),
    ),
  job: (client, [jobId]) => unwrap(client.GET('/jobs/{jobId}', { params: { path: { jobId: required(jobId, 'jobId') } } })),
  sources: (client, _args, flags) =>
    unwrap(client.GET('/sources', { params: { query: { status: flags.status as 'ACTIVE' | undefined } } })),
  'add-source': (client, [url], flags) =>
    unwrap(
      client.POST('/sources', {
        body: {
          url: required(url, 'url'),
          name: flags.name,
          league: flags.league as 'NBA' | undefined,
          teamIds: flags.team ? flags.team.split(',') : [],
        },
      }),
    ),
  'refresh-source': (client, [sourceId]) =>
    unwrap(client.POST('/sources/{sourceId}/refresh', { params: { path: { sourceId: required(sourceId, 'sourceId') } } })),
  'import-games': async (client, [file]) => {
    const { readFile } = await import('node:fs/promises');
    const path = required(file, 'file');
    const text = await readFile(path, 'utf8');
    const body = path.endsWith('.json') ? { rows: JSON.parse(text) as Record<string, unknown>[] } : { csv: text };
    return unwrap(client.POST('/games/import', { body }));
  },
  request: async (_client, [method, path], flags) => {
    const response = await fetch(`${baseUrl()}/api/v1${required(path, 'path')}`, {
      method: required(method, 'method').toUpperCase(),
      headers: { ...authorization(), ...(flags.body ? { 'content-type': 'application/json' } : {}) },
      body: flags.body,
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) throw new PressboxError(response.status, body ?? {}, response.headers.get('retry-after'));
    return body;
  },
};

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`missing <${name}>`);
  return value;
}

class UsageError extends Error {}

function baseUrl(): string {
  return (process.env.PRESSBOX_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

function authorization(): Record<string, string> {
  return process.env.PRESSBOX_TOKEN ? { authorization: `Bearer ${process.env.PRESSBOX_TOKEN}` } : {};
}

const stringFlags = [
  'league',
  'q',
  'followed',
  'limit',
  'cursor',
  'sort',
  'season',
  'status',
  'timezone',
  'length',
  'team',
  'name',
  'body',
];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(stringFlags.map((flag) => [flag, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    process.stderr.write(`pressbox: ${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [name, ...args] = positionals;
  const command = name ? commands[name] : undefined;
  if (!command || values.help) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 2;
  }
  const flags = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));
  const client = createPressboxClient({ baseUrl: baseUrl(), token: process.env.PRESSBOX_TOKEN });
  try {
    process.stdout.write(`${JSON.stringify(await command(client, args, flags), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pressbox: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    if (error instanceof PressboxError) {
      process.stderr.write(
        `${JSON.stringify({ status: error.status, code: error.code, message: error.message, requestId: error.requestId, issues: error.issues })}\n`,
      );
      return 1;
    }
    process.stderr.write(`pressbox: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
