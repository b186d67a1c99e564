import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/** A JSON Schema node of openapi.json, as far as the generator reads it. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  /** `teams.refreshSummary` for `teams-refreshSummary`. */
  procedure: string;
  parameters: Parameter[];
  body: Schema | undefined;
}

interface Document {
  paths: Record<
    string,
    Record<string, { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
}

export const openapi = JSON.parse(readFileSync(new URL('../../client-sdk/openapi.json', import.meta.url), 'utf8')) as Document;

export const operations: Operation[] = Object.entries(openapi.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({
    method: method.toUpperCase(),
    path,
    operationId: operation.operationId,
    procedure: operation.operationId.replace(/-/g, '.'),
    parameters: operation.parameters ?? [],
    body: operation.requestBody?.content['application/json']?.schema,
  })),
);

/** A seeded source of choices; the same seed makes the same requests. */
export class Choices {
  private state: number;
  readonly pools: { anything: unknown[]; strings: string[]; unicode: string[] };
  constructor(readonly seed: number) {
    this.state = seed >>> 0 || 1;
    this.pools = {
      anything: fc.sample(fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: false }), { seed, numRuns: 400 }),
      strings: fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { seed: seed + 1, numRuns: 400 }),
      unicode: fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), { seed: seed + 2, numRuns: 400 }),
    };
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }
}

const nastyStrings = [
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  '%00',
  '%E0%A4%A',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '\uD800',
  '\u202Eevil',
  '😀'.repeat(50),
  'nba-bos',
  'nba-bos\n',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  '2026-13-45T99:99:99Z',
  'true',
  'null',
  '{}',
];

function resolve(schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = openapi.components.schemas[name];
    return target ? resolve(target) : {};
  }
  return schema;
}

/** A string that is most of the time valid for `schema`, sometimes not. */
export function nastyString(choices: Choices): string {
  const kind = choices.int(0, 5);
  if (kind === 0) return choices.pick(nastyStrings);
  if (kind === 1) return choices.pick(choices.pools.strings);
  if (kind === 2) return choices.pick(choices.pools.unicode);
  if (kind === 3) return 'x'.repeat(choices.pick([256, 4096, 70_000]));
  if (kind === 4) return Buffer.from(choices.pick(choices.pools.strings)).toString('base64url');
  return choices.pick(['nba-bos', 'nfl-kc', 'epl-ars', 'src_missing', 'job_missing']);
}

function validString(schema: Schema, choices: Choices): string {
  if (schema.format === 'date-time') return new Date(Date.UTC(2026, 0, 1) + choices.int(-1e9, 1e9) * 1000).toISOString();
  if (schema.format === 'uri' || schema.format === 'url') return `https://feeds.example.com/${String(choices.int(1, 99))}.xml`;
  const min = schema.minLength ?? 1;
  const max = Math.min(schema.maxLength ?? 20, min + 20);
  return 'a'.repeat(choices.int(min, Math.max(min, max)));
}

/** A value for a schema: valid when `depth` allows and chance says so, else something wrong. */
export function valueFor(schema: Schema, choices: Choices, depth = 0): unknown {
  const node = resolve(schema);
  if (choices.chance(0.08)) return choices.pick(choices.pools.anything);
  if (node.enum) return choices.chance(0.85) ? choices.pick(node.enum) : nastyString(choices);
  if (node.const !== undefined) return node.const;
  const branches = node.anyOf ?? node.oneOf ?? node.allOf;
  if (branches) return valueFor(choices.pick(branches), choices, depth);
  const type = Array.isArray(node.type) ? choices.pick(node.type) : node.type;
  switch (type) {
    case 'string':
      return choices.chance(0.7) ? validString(node, choices) : nastyString(choices);
    case 'integer':
      return choices.chance(0.8)
        ? choices.int(node.minimum ?? 0, Math.min(node.maximum ?? 100, (node.minimum ?? 0) + 100))
        : choices.pick([-1, 0, 1.5, 2 ** 53, -(2 ** 63), 1e308]);
    case 'number':
      return choices.next() * 100;
    case 'boolean':
      return choices.chance(0.9) ? choices.chance(0.5) : 'true';
    case 'null':
      return null;
    case 'array': {
      const count = depth > 3 ? 0 : choices.int(node.minItems ?? 0, Math.min(node.maxItems ?? 3, (node.minItems ?? 0) + 3));
      return Array.from({ length: count }, () => valueFor(node.items ?? {}, choices, depth + 1));
    }
    case 'object':
      return objectFor(node, choices, depth);
    default:
      return choices.pick(choices.pools.anything);
  }
}

function objectFor(node: Schema, choices: Choices, depth: number): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(node.properties ?? {})) {
    const required = node.required?.includes(key) ?? false;
    // Missing required fields, now and then.
    if (required ? choices.chance(0.95) : choices.chance(0.5)) value[key] = valueFor(property, choices, depth + 1);
  }
  // Extra fields, now and then.
  if (choices.chance(0.1))
    value[choices.pick(['extra', '__proto__', 'constructor', nastyString(choices).slice(0, 20)])] = choices.pick(choices.pools.anything);
  return value;
}

/** JSON text of any value; `undefined` (which JSON.stringify returns for it) as `null`. */
export const jsonText = (value: unknown): string => (value === undefined ? 'null' : JSON.stringify(value));

export const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A body that is not what the operation takes: bad JSON, deep JSON, wrong shapes. */
export function brokenBody(choices: Choices): string {
  return choices.pick([
    '{"version": 1,',
    '{"a":1}}',
    'NaN',
    '[1,2',
    '\u0000',
    '"just a string"',
    '12',
    'null',
    '[]',
    nested(choices.pick([65, 1_000, 10_000])),
    `{"rows":${nested(choices.pick([63, 64, 200]))}}`,
    jsonText(choices.pick(choices.pools.anything)),
  ]);
}

export const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=bogus',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/merge-patch+json',
  undefined,
];
