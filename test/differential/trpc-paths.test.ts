import { appRouter } from '@pressbox/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProcedures } from '../authz/procedures.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { inputs, type Schema } from './arbitraries.ts';

/*
 * A single tRPC query over GET is answered on a short path (server/src/http/trpc-queries.ts);
 * tRPC's own handler answers the same call when it asks for `trpc-accept: application/json`. Both
 * must send the same answer, byte for byte but for the request id and the clock, for every query
 * procedure of the router, with inputs generated from its schema (valid and not), anonymous and
 * signed in.
 */

const seed = Number(process.env.DIFFERENTIAL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const queries = allProcedures().filter((procedure) => procedure.type === 'query');
const schemaOf = (path: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>)[path]!._def.inputs[0];
/** Answers that start background work, so a second call may see its effect: compared by shape only. */
const racing = new Set(['teams.summary', 'jobs.get']);

interface Answer {
  status: number;
  contentType: string | null;
  vary: string | null;
  body: unknown;
}

/** An answer with what differs between any two calls left out: the request id, and the clock in an OPML export. */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, inner: unknown) => {
    if (key === 'requestId') return '<id>';
    if (typeof inner === 'string') return inner.replace(/<dateCreated>[^<]*<\/dateCreated>/g, '<dateCreated/>');
    return inner;
  }) as unknown;
}

function shapeOf(answer: Answer): unknown {
  const body = answer.body as { result?: unknown; error?: { data?: { code?: unknown } } };
  return { status: Math.floor(answer.status / 100), keys: Object.keys(body).sort(), code: body.error?.data?.code };
}

describe('a single tRPC query over GET answers as tRPC itself does (generated from the router)', () => {
  let app: TestApp;
  let tokens: Record<'anonymous' | 'member' | 'admin', string | undefined>;
  beforeAll(async () => {
    app = await startTestApp({ env: { PRESSBOX_ADMIN_USER_IDS: 'paths_admin', RATE_LIMIT_USER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' } });
    tokens = { anonymous: undefined, member: app.token('paths_member'), admin: app.token('paths_admin') };
  });
  afterAll(async () => {
    await app.close();
  });

  async function ask(path: string, query: string, token: string | undefined, viaTrpc: boolean): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (viaTrpc) headers['trpc-accept'] = 'application/json';
    const response = await fetch(`${app.url}/trpc/${path}${query}`, { headers });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      vary: response.headers.get('vary'),
      body: comparable(await response.json()),
    };
  }

  it('covers every query procedure', () => {
    expect(queries.length).toBeGreaterThan(10);
  });

  for (const procedure of queries) {
    it(procedure.path, async () => {
      const schema = schemaOf(procedure.path);
      const generated = schema ? fc.sample(inputs(schema), { seed: seed + procedure.path.length, numRuns: 6 }) : [];
      const queryStrings = [
        '',
        '?input=%7B%7D',
        `?input=${encodeURIComponent(JSON.stringify({ unexpected: [1, 'two'] }))}`,
        `?input=${encodeURIComponent(JSON.stringify('not an object'))}`,
        ...generated.map((input) => `?input=${encodeURIComponent(JSON.stringify(input))}`),
      ];
      for (const query of queryStrings) {
        for (const [who, token] of Object.entries(tokens)) {
          const short = await ask(procedure.path, query, token, false);
          const full = await ask(procedure.path, query, token, true);
          const label = `${procedure.path}${query} as ${who}`;
          expect(short.contentType, label).toBe(full.contentType);
          expect(short.vary ?? '', label).toContain('trpc-accept');
          if (racing.has(procedure.path)) expect(shapeOf(short), label).toEqual(shapeOf(full));
          else expect({ status: short.status, body: short.body }, label).toEqual({ status: full.status, body: full.body });
        }
      }
    });
  }

  it('leaves batches, streams, inputs that are not JSON and unknown paths to tRPC', async () => {
    const token = tokens.member;
    const headers = { authorization: `Bearer ${token ?? ''}` };
    const notJson = await fetch(`${app.url}/trpc/teams.list?input=%7Bnope`, { headers });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { data: { code: string } } }).error.data.code).toBe('BAD_REQUEST');
    const unknown = await fetch(`${app.url}/trpc/teams.nothing`, { headers });
    expect(unknown.status).toBe(404);
    const batch = await fetch(`${app.url}/trpc/teams.list?batch=1&input=${encodeURIComponent('{"0":{}}')}`, { headers });
    expect(Array.isArray(await batch.json())).toBe(true);
  });
});
