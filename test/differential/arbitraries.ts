import fc from 'fast-check';

/** The parts of a Zod 4 schema's definition the generators read. */
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
  checks?: { _zod: { def: { check: string; value?: number; minimum?: number; maximum?: number; format?: string; pattern?: RegExp } } }[];
  format?: string;
  pattern?: RegExp;
}
export interface Schema {
  _zod: {
    def: Def;
    bag?: { minimum?: number; maximum?: number; minLength?: number; maxLength?: number; format?: string; patterns?: Set<RegExp> };
  };
}

/** Ids that exist in every database (reference teams), so valid inputs reach real data. */
const knownTeams = ['nba-bos', 'nba-lal', 'nfl-ne', 'epl-ars'];

function bounds(schema: Schema): { min?: number; max?: number; minLength?: number; maxLength?: number; format?: string; pattern?: RegExp } {
  const bag = schema._zod.bag ?? {};
  const pattern = bag.patterns ? [...bag.patterns][0] : undefined;
  return {
    ...(bag.minimum !== undefined ? { min: bag.minimum } : {}),
    ...(bag.maximum !== undefined ? { max: bag.maximum } : {}),
    ...(bag.minLength !== undefined ? { minLength: bag.minLength } : {}),
    ...(bag.maxLength !== undefined ? { maxLength: bag.maxLength } : {}),
    ...(bag.format !== undefined ? { format: bag.format } : {}),
    ...(pattern ? { pattern } : {}),
  };
}

function stringValue(name: string, schema: Schema): fc.Arbitrary<string> {
  const { minLength = 0, maxLength = 40, format, pattern } = bounds(schema);
  const cap = Math.min(maxLength, 40);
  if (/teamId$/i.test(name) || (pattern?.source.includes('a-z0-9') ?? false)) return fc.constantFrom(...knownTeams, 'nba-none');
  if (format === 'uuid') return fc.uuid();
  if (format === 'datetime')
    return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (format === 'url') return fc.webUrl({ size: 'small' }).filter((url) => url.length <= 200);
  if (pattern) return fc.stringMatching(pattern).filter((value) => value.length >= minLength && value.length <= maxLength);
  if (/timezone/i.test(name)) return fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Mars/Olympus');
  if (/locale/i.test(name)) return fc.constantFrom('en-US', 'fr-FR', 'de');
  return fc.string({ minLength, maxLength: Math.max(cap, minLength) });
}

/** Values the schema accepts (mostly): what a careful client sends. */
export function valid(schema: Schema, name = ''): fc.Arbitrary<unknown> {
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
      return fc.option(valid(def.innerType!, name), { nil: undefined });
    case 'default':
    case 'prefault':
      return fc.option(valid(def.innerType!, name), { nil: undefined });
    case 'nullable':
      return fc.option(valid(def.innerType!, name), { nil: null, freq: 4 });
    case 'pipe':
      return valid(def.in!, name);
    case 'object':
      return fc.record(Object.fromEntries(Object.entries(def.shape ?? {}).map(([key, field]) => [key, valid(field, key)])));
    case 'array': {
      const { minLength = 0, maxLength = 3 } = bounds(schema);
      return fc.array(valid(def.element!, name), { minLength, maxLength: Math.max(minLength, Math.min(maxLength, 3)) });
    }
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxKeys: 4 });
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => valid(option, name)));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'literal':
      return fc.constantFrom(...(def.values ?? []));
    case 'boolean':
      return fc.boolean();
    case 'number': {
      const { min = -1000, max = 1000 } = bounds(schema);
      return fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) });
    }
    case 'string':
      return stringValue(name, schema);
    default:
      return fc.constant(undefined);
  }
}

function unwrap(schema: Schema): Schema {
  const def = schema._zod.def;
  if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable')
    return unwrap(def.innerType!);
  if (def.type === 'pipe') return unwrap(def.in!);
  return schema;
}

/** Values just outside what one field accepts: bounds, wrong types, wrong formats. */
export function invalidField(schema: Schema): fc.Arbitrary<unknown> {
  const inner = unwrap(schema);
  const { min, max, minLength, maxLength } = bounds(inner);
  const type = inner._zod.def.type;
  const wrongType = fc.constantFrom<unknown>('not-a-value', '', ' ', 'true', '1e400', 'ü', '\u0000');
  if (type === 'number')
    return fc.oneof(wrongType, fc.constantFrom(...[min !== undefined ? min - 1 : -1e9, max !== undefined ? max + 1 : 1e12, 1.5, -0.5]));
  if (type === 'string')
    return fc.oneof(
      fc.constantFrom<unknown>(12, true, ''),
      fc.constant('x'.repeat((maxLength ?? 5_000) + 1)),
      fc.constant(minLength && minLength > 1 ? 'x'.repeat(minLength - 1) : 'NOT A SLUG/?'),
    );
  if (type === 'enum' || type === 'boolean') return fc.oneof(wrongType, fc.constantFrom<unknown>(0, 'FALSE', 'nope'));
  if (type === 'array')
    return fc.oneof(fc.constantFrom<unknown>('a', 3), fc.constant(Array.from({ length: (maxLength ?? 100) + 1 }, () => 'nba-bos')));
  return wrongType;
}

/**
 * One input of a procedure: valid, at a boundary, or with one field made invalid or left out, all
 * drawn from the procedure's own input schema.
 */
export function inputs(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const object = unwrap(schema);
  const shape = object._zod.def.shape ?? {};
  const fields = Object.keys(shape);
  const base = valid(object) as fc.Arbitrary<Record<string, unknown>>;
  if (fields.length === 0) return base;
  const broken = fc.tuple(base, fc.constantFrom(...fields)).chain(([value, field]) =>
    fc.oneof(
      invalidField(shape[field]!).map((bad) => ({ ...value, [field]: bad })),
      fc.constant(dropField(value, field)),
    ),
  );
  return fc.oneof({ arbitrary: base, weight: 1 }, { arbitrary: broken, weight: 1 });
}

function dropField(value: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== field));
}

/** Drops undefined fields, as JSON and query strings do. */
export function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}
