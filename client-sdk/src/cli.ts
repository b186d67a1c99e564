#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createPressboxClient, PressboxError, unwrap, type PressboxClient } from './index.ts';

const usage = `pressbox: command-line client for the Pressbox API

Environment: PRESSBOX_URL (default http://localhost:3000), PRESSBOX_TOKEN (a session token)

Commands:
  me                                   the signed-in user
  teams [--league L] [--q TEXT] [--followed true|false] [--limit N] [--cursor C]
  team <teamId>
  follow <teamId> | unfollow <teamId>
  preferences                          show your preferences
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

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { help: { type: 'boolean', short: 'h' } },
  });
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
