import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newsListStatement, newsPageOf, type NewsStatementRow } from '@pressbox/db';
import { toNewsItem } from '@pressbox/jobs';
import { bearerToken, createSessionVerifier, staticKeySource, type Jwks } from '@pressbox/server';
import pg from 'pg';

/**
 * The floor of `GET /teams/{teamId}/news`: a bare `node:http` server over `pg` doing what Pressbox
 * does for that request and nothing else. The same session verifier (RS256 through `node:crypto`,
 * the verified-token cache), the same cached checks (known team, user seen before: in memory after
 * the first request), the very statement Pressbox's news repository sends for a team's first page
 * sorted newest first (`newsListStatement`: stories listed once, with their other tellings),
 * prepared as Pressbox prepares it, the
 * same page and item encoding (`newsPageOf`, `toNewsItem`), a pool of the same size. No framework,
 * no validation layer, no logging: what a request costs at the least on this machine.
 */

export interface FloorOptions {
  databaseUrl: string;
  jwks: Jwks;
  issuer: string;
  poolMax?: number;
}

export interface RunningFloor {
  url: string;
  close(): Promise<void>;
}

const newsPath = /^\/api\/v1\/teams\/([a-z0-9-]{1,64})\/news$/;

export async function startFloor(options: FloorOptions): Promise<RunningFloor> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10 });
  const verify = createSessionVerifier({ keys: staticKeySource(options.jwks), issuer: options.issuer, authorizedParties: [] });
  const teams = new Set((await pool.query<{ id: string }>('SELECT id FROM "Team"')).rows.map((row) => row.id));
  const users = new Set<string>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://floor');
    const match = newsPath.exec(url.pathname);
    const teamId = match?.[1];
    if (request.method !== 'GET' || teamId === undefined) {
      send(response, 404, { code: 'NOT_FOUND' });
      return;
    }
    const token = bearerToken(request.headers.authorization);
    const session = token ? await verify(token).catch(() => null) : null;
    if (!session) {
      send(response, 401, { code: 'UNAUTHORIZED' });
      return;
    }
    if (!users.has(session.userId)) {
      await pool.query('INSERT INTO "User" (id, "updatedAt") VALUES ($1, now()) ON CONFLICT (id) DO NOTHING', [session.userId]);
      users.add(session.userId);
    }
    if (!teams.has(teamId)) {
      send(response, 404, { code: 'NOT_FOUND' });
      return;
    }
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? '20') || 20));
    const query = { scope: { teamId }, sort: 'newest' as const, limit };
    const statement = newsListStatement(query);
    if (statement === undefined) throw new Error('a team scope always needs the statement');
    const { rows } = await pool.query<NewsStatementRow>({ name: 'news', text: statement.text, values: statement.values });
    const page = newsPageOf(rows, query);
    send(response, 200, { items: page.items.map(toNewsItem), nextCursor: page.nextCursor });
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      send(response, 500, { code: 'INTERNAL_SERVER_ERROR' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}
