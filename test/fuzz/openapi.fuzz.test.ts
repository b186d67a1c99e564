import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  brokenBody,
  Choices,
  contentTypes,
  jsonText,
  nastyString,
  nested,
  operations,
  valueFor,
  type Operation,
  type Schema,
} from './requests.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** What no response body may show: stack frames, file paths, SQL, Prisma or Zod internals. */
const leaks = [
  /\bat [\w$.<>]+ \(/,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /node_modules|\/work\/|\/home\/|file:\/\//,
  /\bstack\b/i,
  /Prisma|ZodError|\$Zod|TRPCError|PGlite/,
  /\b(?:SELECT|INSERT INTO|UPDATE \S+ SET|DELETE FROM)\b/,
  /syntax error at|invalid input syntax|violates (?:unique|foreign key)|relation "/,
  /TypeError|ReferenceError|RangeError|SyntaxError|Maximum call stack/,
];

interface FuzzRequest {
  transport: 'rest' | 'trpc';
  label: string;
  path: string;
  init: RequestInit;
}

function rawPathValue(choices: Choices): string {
  if (choices.chance(0.6)) return choices.pick(['nba-bos', 'nfl-kc', 'epl-ars', 'src_missing', 'job_missing', 'nba-none']);
  return nastyString(choices).slice(0, 300);
}

function pathValue(choices: Choices): string {
  const raw = rawPathValue(choices);
  if (!choices.chance(0.8)) return raw.replace(/[/?#\s]/g, '');
  try {
    return encodeURIComponent(raw);
  } catch {
    // A lone surrogate has no UTF-8 form: send the bytes a careless client would.
    return '%ED%A0%80';
  }
}

function queryString(operation: Operation, choices: Choices): string {
  const params = new URLSearchParams();
  for (const parameter of operation.parameters.filter((candidate) => candidate.in === 'query')) {
    if (!choices.chance(0.5)) continue;
    const value = parameter.name === 'cursor' && choices.chance(0.5) ? nastyString(choices) : valueFor(parameter.schema ?? {}, choices);
    params.set(parameter.name, typeof value === 'string' ? value : jsonText(value));
  }
  if (choices.chance(0.05)) params.set(nastyString(choices).slice(0, 20), 'extra');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function body(schema: Schema | undefined, choices: Choices): { text: string | undefined; type: string | undefined } {
  const type = choices.chance(0.8) ? 'application/json' : choices.pick(contentTypes);
  if (!schema) return choices.chance(0.9) ? { text: undefined, type: undefined } : { text: brokenBody(choices), type };
  const text = choices.chance(0.75) ? jsonText(valueFor(schema, choices)) : brokenBody(choices);
  return { text, type };
}

function restRequest(operation: Operation, choices: Choices): FuzzRequest {
  const path = operation.path.replace(/\{\w+\}/g, () => pathValue(choices));
  const method = choices.chance(0.04) ? choices.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) : operation.method;
  const { text, type } = method === 'GET' || method === 'OPTIONS' ? { text: undefined, type: undefined } : body(operation.body, choices);
  return {
    transport: 'rest',
    label: `${method} /api/v1${operation.path}`,
    path: `/api/v1${path}${queryString(operation, choices)}`,
    init: { method, ...(text === undefined ? {} : { body: text }), headers: type === undefined ? {} : { 'content-type': type } },
  };
}

/** The tRPC input of an operation: its path and query parameters and its body fields, as typed values. */
function trpcInput(operation: Operation, choices: Choices): unknown {
  const input: Record<string, unknown> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path' || choices.chance(0.5))
      input[parameter.name] = parameter.in === 'path' ? rawPathValue(choices) : valueFor(parameter.schema ?? {}, choices);
  }
  const fromBody = operation.body ? valueFor(operation.body, choices) : undefined;
  if (typeof fromBody === 'object' && fromBody !== null && !Array.isArray(fromBody)) Object.assign(input, fromBody);
  return choices.chance(0.05) ? choices.pick(choices.pools.anything) : input;
}

function trpcRequest(operation: Operation, choices: Choices): FuzzRequest {
  const batch = choices.chance(0.1);
  const calls = batch
    ? [operation, ...Array.from({ length: choices.int(1, 3) }, () => choices.pick(operations))].filter(
        (call) => (call.method === 'GET') === (operation.method === 'GET'),
      )
    : [operation];
  const procedures = calls.map((call) => call.procedure);
  if (choices.chance(0.02)) procedures.push(choices.pick(['teams.onNews', 'me.onFeed', 'nope.missing']));
  const inputs = calls.map((call) => trpcInput(call, choices));
  const payload = batch ? Object.fromEntries(inputs.map((input, index) => [String(index), input])) : inputs[0];
  const json = choices.chance(0.85) ? jsonText(payload) : brokenBody(choices);
  const target = `/trpc/${procedures.join(',')}${batch ? '?batch=1' : ''}`;
  const label = `tRPC ${operation.method === 'GET' ? 'query' : 'mutation'} ${procedures.join(',')}`;
  if (operation.method === 'GET' && !choices.chance(0.03)) {
    return { transport: 'trpc', label, path: `${target}${batch ? '&' : '?'}input=${encodeURIComponent(json)}`, init: { method: 'GET' } };
  }
  const type = choices.chance(0.85) ? 'application/json' : choices.pick(contentTypes);
  return {
    transport: 'trpc',
    label,
    path: target,
    init: { method: 'POST', body: json, headers: type === undefined ? {} : { 'content-type': type } },
  };
}

interface Finding {
  label: string;
  path: string;
  status: number;
  problem: string;
  body: string;
}

/** What is wrong with a response, if anything. */
function judge(status: number, contentType: string | null, text: string): string | undefined {
  if (status >= 500) return `status ${String(status)}`;
  const leak = leaks.find((pattern) => pattern.test(text));
  if (leak) return `body matches ${String(leak)}`;
  if (status >= 400) {
    if (!contentType?.startsWith('application/json')) return `error with content-type ${String(contentType)}`;
    try {
      JSON.parse(text);
    } catch {
      return 'error body is not JSON';
    }
  }
  return undefined;
}

describe('schema-driven fuzzing of every operation in openapi.json, over REST and tRPC', () => {
  let app: TestApp;
  let tokens: string[];
  beforeAll(async () => {
    app = await startTestApp({
      database: 'pglite',
      env: {
        PRESSBOX_ADMIN_USER_IDS: 'fuzz_admin',
        RATE_LIMIT_USER_PER_MIN: '0',
        RATE_LIMIT_IP_PER_MIN: '0',
        // FUZZ_LOG_LEVEL=error shows the server's account of a finding.
        LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'silent',
      },
    });
    tokens = [
      app.token('fuzz_admin', { ttlSeconds: 3600 }),
      app.token('fuzz_admin', { ttlSeconds: 3600 }),
      app.token('fuzz_member', { ttlSeconds: 3600 }),
    ];
  });
  afterAll(async () => {
    await app.close();
  });

  it(`answers ${String(REQUESTS)} generated requests without a 5xx, a non-JSON error or a leak`, { timeout: 300_000 }, async () => {
    const choices = new Choices(seed);
    const requests: FuzzRequest[] = Array.from({ length: REQUESTS }, () => {
      const operation = choices.pick(operations);
      const request = choices.chance(0.5) ? restRequest(operation, choices) : trpcRequest(operation, choices);
      const credential = choices.chance(0.92) ? `Bearer ${choices.pick(tokens)}` : choices.pick(['', 'Bearer nope', `Bearer ${nested(3)}`]);
      const headers = new Headers(request.init.headers);
      if (credential !== '') headers.set('authorization', credential);
      request.init.headers = headers;
      return request;
    });
    const findings: Finding[] = [];
    const statuses = new Map<string, number>();
    const started = performance.now();
    let nextIndex = 0;
    const worker = async () => {
      for (let index = nextIndex++; index < requests.length; index = nextIndex++) {
        const request = requests[index];
        if (!request) break;
        const response = await fetch(`${app.url}${request.path}`, request.init);
        const text = await response.text();
        const key = `${request.transport} ${String(response.status)}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const problem = judge(response.status, response.headers.get('content-type'), text);
        if (problem)
          findings.push({
            label: request.label,
            path: request.path.slice(0, 300),
            status: response.status,
            problem,
            body: text.slice(0, 300),
          });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    const counts = Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b)));
    console.log(
      `fuzz seed ${String(seed)} (FUZZ_SEED=${String(seed)} repeats it): ${String(requests.length)} requests in ${seconds.toFixed(1)} s over ${String(operations.length)} operations; ${String(findings.length)} findings`,
    );
    console.log(`fuzz statuses: ${JSON.stringify(counts)}`);
    for (const finding of findings.slice(0, 15)) console.log(`fuzz finding: ${JSON.stringify(finding)}`);
    expect(findings.slice(0, 15)).toEqual([]);
  });
});
