import { appRouter, buildOpenApiDocument } from '@pressbox/server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProcedures, pathParameters, type ProcedureEntry } from '../authz/procedures.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { defined, inputs, type Schema } from './arbitraries.ts';
import { batchCall, restCall, sdkCall, transports, trpcCall, wsCall, type Call, type Outcome, type TransportName } from './transports.ts';

const seed = Number(process.env.DIFFERENTIAL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(process.env.DIFFERENTIAL_RUNS ?? 4);
console.log(
  `differential suite: seed ${String(seed)} (DIFFERENTIAL_SEED=${String(seed)} repeats this run), ${String(runs)} cases per procedure`,
);

const document = buildOpenApiDocument(appRouter, { version: '0', baseUrl: '/api/v1' });
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', true).addFormat('uuid', true).addFormat('uri', true).addFormat('email', true);
ajv.addSchema({ ...structuredClone(document), $id: 'openapi.json' });
const validateError = ajv.getSchema('openapi.json#/components/schemas/Error')!;

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The documented schema of a REST answer, or undefined when the status is not documented. */
function documentedSchema(procedure: ProcedureEntry, status: number): ((body: unknown) => boolean) | undefined {
  const rest = procedure.rest!;
  const operation = (document.paths as Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>)[rest.path]?.[
    rest.method.toLowerCase()
  ];
  const response = operation?.responses[String(status)];
  if (!response) return undefined;
  if (response.$ref) return (body) => validateError(body) as boolean;
  const ref = `openapi.json#/${pointer('paths', rest.path, rest.method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
  return ajv.compile({ $ref: ref });
}

const procedures = allProcedures().filter((procedure) => procedure.type !== 'subscription' && procedure.rest !== undefined);
const schemaOf = (path: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>)[path]!._def.inputs[0]!;

function wellFormed(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

/** The fields a query string carries are text: an input is only comparable when its values survive that. */
function survivesQueryString(procedure: ProcedureEntry, input: Record<string, unknown>): boolean {
  const schema = schemaOf(procedure.path);
  const shape = schema._zod.def.shape ?? {};
  const inPath = new Set(pathParameters(procedure.rest!.path));
  const inQuery = procedure.rest!.method === 'GET' || procedure.rest!.method === 'DELETE';
  if (![...inPath].every((name) => name in input)) return false;
  return Object.entries(input).every(([name, value]) => {
    if (inPath.has(name)) return typeof value === 'string' && value !== '' && value !== '.' && value !== '..' && wellFormed(value);
    if (!inQuery) return true;
    if (typeof value === 'string') return wellFormed(value) && readQueryValue(shape[name], value) === value;
    if (typeof value === 'number' || typeof value === 'boolean') return readQueryValue(shape[name], String(value)) === value;
    return false;
  });
}

function baseType(schema: Schema | undefined): string | undefined {
  let current = schema;
  while (current && ['optional', 'default', 'prefault', 'nullable', 'pipe'].includes(current._zod.def.type))
    current = current._zod.def.type === 'pipe' ? current._zod.def.in : current._zod.def.innerType;
  return current?._zod.def.type;
}

/** What the REST boundary makes of a query value, as the README states it: numbers, `true`/`false`, else text. */
function readQueryValue(schema: Schema | undefined, text: string): unknown {
  const type = baseType(schema);
  if (type === 'number') return /^[0-9eE.+-]+$/.test(text) && Number.isFinite(Number(text)) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

interface World {
  backend: string;
  transport: TransportName;
  member: string;
  admin: string;
  sources: string[];
  feedPrefix: string;
  call: Call;
  app: TestApp;
}

const placeholders = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];

/** The input as one world sends it: placeholder source ids become that world's sources, feed URLs its own. */
function forWorld(world: World, input: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(input, (key, value: unknown) =>
    key === 'url' && typeof value === 'string' && value.startsWith('http')
      ? `${value}${value.includes('?') ? '&' : '?'}world=${world.transport}`
      : value,
  );
  return JSON.parse(placeholders.reduce((out, id, index) => out.replaceAll(id, world.sources[index] ?? id), text)) as Record<
    string,
    unknown
  >;
}

const volatile = new Set([
  'requestId',
  'createdAt',
  'updatedAt',
  'nextFetchAt',
  'lastFetchedAt',
  'lastSuccessAt',
  'lastError',
  'consecutiveErrors',
  'articleCount',
  'kind',
  'jobId',
  'generatedAt',
  'startedAt',
  'finishedAt',
  'computedAt',
]);

/** Lists of every world's sources: the same list for every transport, nothing to translate. */
const globalListings = new Set(['sources.list', 'sources.export', 'teams.dashboard']);

/** The answer with what legitimately differs between worlds (ids, clocks, background fetches) masked. */
function normalized(world: World, procedure: ProcedureEntry, outcome: Outcome): unknown {
  let text = JSON.stringify(outcome.body ?? null);
  if (!globalListings.has(procedure.path)) {
    world.sources.forEach((id, index) => (text = text.replaceAll(id, placeholders[index]!)));
    text = text
      .replaceAll(`?world=${world.transport}`, '')
      .replaceAll(`&world=${world.transport}`, '')
      .replaceAll(world.feedPrefix, '<feeds>/')
      .replaceAll(`Seed ${world.transport}`, 'Seed <world>');
  }
  text = text.replace(/<dateCreated>[^<]*<\/dateCreated>/g, '<dateCreated/>');
  text = text.replaceAll(world.member, '<member>').replaceAll(world.admin, '<admin>');
  const mutation = procedure.type === 'mutation';
  const body = JSON.parse(text, (key, value: unknown) => {
    if (volatile.has(key)) return '<volatile>';
    if (
      key === 'id' &&
      (mutation || procedure.path === 'me.get' || procedure.path === 'teams.dashboard' || procedure.path.startsWith('sources.'))
    )
      return '<id>';
    if (key === 'email' || key === 'name' ? procedure.path === 'me.get' : false) return '<user>';
    if (key === 'status' && procedure.path.startsWith('sources.') && typeof value === 'string' && value !== 'PAUSED') return '<status>';
    return value;
  }) as unknown;
  return { ok: outcome.status < 300, status: outcome.status < 300 ? 'success' : outcome.status, body };
}

/** A deterministic shuffle from the case's own random numbers. */
function shuffled<T>(items: readonly T[], order: readonly number[]): T[] {
  return items
    .map((item, index) => ({ item, key: order[index % order.length]! + index / 1000 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

/** Answers whose outcome depends on background work racing the calls: compare the kind of answer only. */
const racing = new Set(['teams.summary', 'jobs.get']);

const backends = databaseKinds.filter((kind) => databaseAvailable(kind));

describe('every transport and backend answers every procedure alike (generated from the router)', () => {
  const apps: TestApp[] = [];
  const worlds: World[] = [];
  const closers: (() => void)[] = [];
  beforeAll(async () => {
    for (const backend of backends) {
      const admins = transports.map((transport) => `diff_admin_${backend}_${transport}`);
      const app = await startTestApp({
        database: backend,
        env: {
          PRESSBOX_ADMIN_USER_IDS: admins.join(','),
          RATE_LIMIT_USER_PER_MIN: '0',
          RATE_LIMIT_IP_PER_MIN: '0',
          FEED_ALLOW_PRIVATE_NETWORKS: 'true',
        },
      });
      apps.push(app);
      const ws = wsCall(app.url);
      closers.push(() => {
        ws.close();
      });
      const calls: Record<TransportName, Call> = {
        rest: restCall(app.url),
        trpc: trpcCall(app.url),
        batch: batchCall(app.url),
        ws,
        sdk: sdkCall(app.url),
      };
      for (const transport of transports) {
        const admin = `diff_admin_${backend}_${transport}`;
        const feedPrefix = `http://127.0.0.1:9/${transport}/`;
        const trpc = app.trpc(admin);
        const sources: string[] = [];
        for (const index of [0, 1]) {
          const created = await trpc.sources.create.mutate({
            url: `${feedPrefix}${String(index)}.xml`,
            name: `Seed ${transport} ${String(index)}`,
            teamIds: ['nba-bos'],
          });
          sources.push(created.source.id);
        }
        worlds.push({
          backend,
          transport,
          member: `diff_member_${backend}_${transport}`,
          admin,
          sources,
          feedPrefix,
          call: calls[transport],
          app,
        });
      }
    }
  });
  afterAll(async () => {
    for (const close of closers) close();
    for (const app of apps) await app.close();
  });

  for (const procedure of procedures) {
    it(`${procedure.path} (${procedure.rest!.method} ${procedure.rest!.path})`, async () => {
      const cases = fc.sample(
        fc.tuple(inputs(schemaOf(procedure.path)), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 })),
        {
          seed: seed + procedure.path.length * 7919 + procedure.path.charCodeAt(procedure.path.length - 1),
          numRuns: runs * 4,
        },
      );
      let compared = 0;
      for (const [generated, order] of cases) {
        const input = defined(generated);
        if (!survivesQueryString(procedure, input) || compared >= runs) continue;
        compared++;
        const answers: { world: World; outcome: Outcome }[] = [];
        for (const world of shuffled(worlds, order)) {
          const token = world.app.token(procedure.access === 'admin' ? world.admin : world.member, { ttlSeconds: 3600 });
          answers.push({ world, outcome: await world.call(procedure, forWorld(world, input), token) });
        }
        const label = (world: World) => `${procedure.path} ${JSON.stringify(input).slice(0, 300)} on ${world.backend}/${world.transport}`;
        for (const { world, outcome } of answers) {
          expect(outcome.status, label(world)).toBeLessThan(500);
          if (outcome.status >= 400)
            expect(validateError(outcome.body), `${label(world)}: ${JSON.stringify(validateError.errors)}`).toBe(true);
          if (world.transport === 'rest') {
            const validate = documentedSchema(procedure, outcome.status);
            expect(validate, `${label(world)}: status ${String(outcome.status)} is not in openapi.json`).toBeDefined();
            expect(validate?.(outcome.raw), `${label(world)}: body does not match openapi.json`).toBe(true);
          }
        }
        const reference = answers[0]!;
        const expected = normalized(reference.world, procedure, reference.outcome);
        for (const { world, outcome } of answers.slice(1)) {
          const actual = normalized(world, procedure, outcome);
          if (racing.has(procedure.path))
            expect((actual as { status: unknown }).status, label(world)).toEqual((expected as { status: unknown }).status);
          else expect(actual, `${label(world)} vs ${reference.world.backend}/${reference.world.transport}`).toEqual(expected);
        }
      }
      expect(compared, 'cases compared').toBeGreaterThan(0);
    });
  }
});
