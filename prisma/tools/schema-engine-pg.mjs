// Postgres plumbing for tools/schema-engine.mjs (the offline stand-in for Prisma's native
// schema engine). Kept separate so the protocol code stays readable.
//
// Why each piece exists:
// - Connection settings are handed to pg as discrete fields, not a URL, so that `?schema=`
//   and other Prisma-only URL parameters never reach pg and credentials are decoded once.
// - @prisma/adapter-pg rejects result columns whose Postgres type it does not map
//   (prisma/orm#27403), and the engine's catalog queries return some: `"char"` columns
//   (pg_constraint.contype, confdeltype, confupdtype) make every introspection fail with
//   "Column type 'char' could not be deserialized". The pg Client used by the adapter rewrites
//   such columns to text (or text[]) before the adapter looks at them.
// - The adapter sends scripts statement by statement, split on every `;`, which breaks
//   migrations with semicolons inside strings, function bodies or DO blocks, and loses the
//   all-or-nothing behaviour of the native engine. Scripts go to Postgres whole instead.
// - The adapter's own shadow database handling creates a random database and fails to drop it
//   (the pool is still connected). An explicitly configured shadow database is dropped and
//   recreated (or, without the privilege for that, emptied) before every use; without one, a
//   temporary database is created and force-dropped afterwards.
// - Pools are capped at one connection, i.e. one session as with the native engine. The engine
//   takes the migration advisory lock (pg_advisory_lock) at the start of each migrate command and
//   never unlocks it; on a single session that lock is re-entrant, while with several pooled
//   connections a second command in the same process can block forever on its own lock.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

const { types } = pg;
const B = types.builtins;
const FIRST_NORMAL_OBJECT_ID = 16384;
const TEXT = 25;
const TEXT_ARRAY = 1009;

// Every type OID @prisma/adapter-pg 7.10 maps to a column type (see fieldToColumnType there).
const ADAPTER_TYPES = new Set([
  B.INT2,
  B.INT4,
  B.INT8,
  B.FLOAT4,
  B.FLOAT8,
  B.BOOL,
  B.DATE,
  B.TIME,
  B.TIMETZ,
  B.TIMESTAMP,
  B.TIMESTAMPTZ,
  B.NUMERIC,
  B.MONEY,
  B.JSON,
  B.JSONB,
  B.UUID,
  B.OID,
  B.BPCHAR,
  B.TEXT,
  B.VARCHAR,
  B.BIT,
  B.VARBIT,
  B.INET,
  B.CIDR,
  B.XML,
  B.BYTEA,
  19 /* name */,
  1005,
  1007,
  1021,
  1022,
  1231,
  791,
  1000,
  1002,
  1014,
  1009,
  1015,
  1563,
  1561,
  1041,
  651,
  143,
  1182,
  1183,
  1115,
  1185,
  199,
  3807,
  1001,
  2951,
  1016,
  1028,
]);

// Built-in array types that show up in catalog queries but that the adapter does not map.
// They are handed over as text[]; everything else unmapped becomes text.
const CATALOG_ARRAY_TYPES = new Set([
  1003 /* name[] */, 1006 /* int2vector[] */, 1008 /* regproc[] */, 1010 /* tid[] */, 1011 /* xid[] */, 1012 /* cid[] */,
  1013 /* oidvector[] */, 1034 /* aclitem[] */, 1187 /* interval[] */, 2210 /* regclass[] */, 2211 /* regtype[] */, 3735 /* regconfig[] */,
]);

const parseTextArray = types.getTypeParser(TEXT_ARRAY, 'text');

const asText = (value) => {
  if (value === null || value === undefined || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && typeof value.toPostgres === 'function') return value.toPostgres();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

function normalizeResult(result) {
  if (Array.isArray(result)) return result.map(normalizeResult);
  if (!result || !Array.isArray(result.fields)) return result;
  result.fields.forEach((field, index) => {
    const oid = field.dataTypeID;
    if (oid >= FIRST_NORMAL_OBJECT_ID || ADAPTER_TYPES.has(oid)) return;
    const isArray = CATALOG_ARRAY_TYPES.has(oid);
    const convert = isArray
      ? (v) => (v === null || v === undefined ? v : (typeof v === 'string' ? parseTextArray(v) : v).map(asText))
      : asText;
    field.dataTypeID = isArray ? TEXT_ARRAY : TEXT;
    for (const row of result.rows) {
      if (Array.isArray(row)) row[index] = convert(row[index]);
      else row[field.name] = convert(row[field.name]);
    }
  });
  return result;
}

/** pg Client whose results only carry column types @prisma/adapter-pg understands. */
class CatalogSafeClient extends pg.Client {
  query(config, values, callback) {
    if (typeof values === 'function') {
      callback = values;
      values = undefined;
    }
    if (typeof callback === 'function') {
      return super.query(config, values, (err, res) => callback(err, err ? res : normalizeResult(res)));
    }
    const out = super.query(config, values);
    return out && typeof out.then === 'function' ? out.then(normalizeResult) : out;
  }
}

export class ConnectionError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Discrete pg settings (plus the Prisma schema name) from a postgres:// URL. */
export function parsePostgresUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new ConnectionError('P1013', 'The provided database string is invalid. The scheme is not recognized in database URL.');
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') {
    throw new ConnectionError(
      'P1013',
      `The provided database string is invalid. This stand-in schema engine only speaks PostgreSQL (got \`${u.protocol}\`).`,
    );
  }
  const q = u.searchParams;
  const decode = (s) => (s ? decodeURIComponent(s) : undefined);
  const config = {
    host: q.get('host') ?? (u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost'),
    port: Number(q.get('port') ?? u.port ?? '') || 5432,
    user: decode(u.username) ?? q.get('user') ?? process.env.PGUSER ?? 'postgres',
    password: decode(u.password) ?? q.get('password') ?? undefined,
    database: decode(u.pathname.replace(/^\//, '')) || 'postgres',
    application_name: q.get('application_name') ?? 'prisma-schema-engine-stand-in',
  };
  if (config.password === undefined) delete config.password;
  const connectTimeout = Number(q.get('connect_timeout') ?? '5');
  if (connectTimeout > 0) config.connectionTimeoutMillis = connectTimeout * 1000;
  const sslmode = q.get('sslmode');
  // pg cannot fall back to plain text, so `prefer` (Prisma's default) means no TLS here.
  if (sslmode === 'require' || sslmode === 'no-verify') config.ssl = { rejectUnauthorized: false };
  else if (sslmode === 'verify-ca' || sslmode === 'verify-full') config.ssl = { rejectUnauthorized: true };
  const schema = q.get('schema') ?? 'public';
  return { config, schema };
}

export const location = (config) => `${config.host}:${config.port}`;

/** Native-engine-like error for a failed connection attempt (used by the `cli` subcommands). */
export function describeConnectError(err, config, fallbackCode = 'P1000') {
  if (err instanceof ConnectionError) return err;
  const at = location(config);
  switch (err?.code) {
    case '3D000':
      return new ConnectionError('P1003', `Database \`${config.database}\` does not exist on the database server at \`${at}\`.`);
    case '28P01':
    case '28000':
      return new ConnectionError(
        'P1000',
        `Authentication failed against database server at \`${config.host}\`, the provided database credentials for \`${config.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${config.host}\`.`,
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ECONNRESET':
      return new ConnectionError(
        'P1001',
        `Can't reach database server at \`${at}\`\n\nPlease make sure your database server is running at \`${at}\`.`,
      );
    case 'ETIMEDOUT':
      return new ConnectionError('P1002', `The database server at \`${at}\` was reached but timed out.`);
    default:
      if (/timeout/i.test(err?.message ?? '')) {
        return new ConnectionError(
          'P1001',
          `Can't reach database server at \`${at}\`\n\nPlease make sure your database server is running at \`${at}\`.`,
        );
      }
      return new ConnectionError(fallbackCode, err?.message ?? String(err));
  }
}

const quoteIdent = (name) => `"${String(name).replace(/"/g, '""')}"`;

async function withClient(config, fn) {
  const client = new pg.Client(config);
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Run `fn` on a connection to a maintenance database of the same server. */
async function withMaintenance(config, fn) {
  let lastError;
  for (const database of ['postgres', 'template1']) {
    if (database === config.database) continue;
    try {
      return await withClient({ ...config, database }, fn);
    } catch (err) {
      if (err?.code !== '3D000') throw err;
      lastError = err;
    }
  }
  throw lastError;
}

export async function canConnect(config) {
  await withClient(config, (c) => c.query('SELECT 1'));
}

export async function createDatabase(config) {
  await withMaintenance(config, (c) => c.query(`CREATE DATABASE ${quoteIdent(config.database)}`));
  return config.database;
}

export async function dropDatabase(config) {
  await withMaintenance(config, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(config.database)} WITH (FORCE)`));
  return config.database;
}

/** Give `config.database` a pristine state: drop and recreate it, or empty it if that is not allowed. */
async function resetShadowDatabase(config, schema) {
  const canCreate = await withMaintenance(config, async (c) => {
    const { rows } = await c.query('SELECT rolcreatedb OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user');
    return rows[0]?.ok === true;
  });
  if (canCreate) {
    try {
      await dropDatabase(config);
      await createDatabase(config);
      return;
    } catch (err) {
      if (err?.code !== '42501' && err?.code !== '55006') throw err; // not the owner / in use: empty it instead
    }
  }
  await withClient(config, async (c) => {
    const { rows } = await c.query(
      `SELECT nspname FROM pg_namespace
        WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'`,
    );
    for (const { nspname } of rows) await c.query(`DROP SCHEMA ${quoteIdent(nspname)} CASCADE`);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    if (schema !== 'public') await c.query('CREATE SCHEMA IF NOT EXISTS public');
  });
}

const sameDatabase = (a, b) =>
  a.database === b.database &&
  a.port === b.port &&
  [a.host, b.host].map((h) => (h === 'localhost' || h === '::1' ? '127.0.0.1' : h)).every((h, _, all) => h === all[0]);

/** Patch an adapter from PrismaPg#connect() so scripts reach Postgres in one piece. */
function sendScriptsWhole(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.client.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

function pgConfig(config, schema) {
  const options = [`-c search_path=${quoteIdent(schema)}`];
  return { ...config, Client: CatalogSafeClient, max: 1, options: options.join(' ') };
}

/**
 * The migration-aware adapter factory the WASM engine expects (before binding with
 * bindMigrationAwareSqlAdapterFactory). `probeFallback`, if given, wraps the main adapter so a
 * command that needs no database can still start the engine (see schema-engine.mjs).
 */
export function createAdapterFactory({ mainUrl, shadowUrl, probeFallback }) {
  const main = mainUrl ? parsePostgresUrl(mainUrl) : undefined;
  const shadow = shadowUrl ? parsePostgresUrl(shadowUrl) : undefined;
  const cleanups = [];

  const connectTo = async ({ config, schema }) => {
    const factory = new PrismaPg(pgConfig(config, schema), { schema });
    return sendScriptsWhole(await factory.connect());
  };

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      if (!main) {
        if (probeFallback) return probeFallback(null);
        throw new ConnectionError('P1012', 'No datasource url was configured (set datasource.url in prisma.config.ts).');
      }
      const adapter = await connectTo(main);
      return probeFallback ? probeFallback(adapter) : adapter;
    },
    async connectToShadowDb() {
      try {
        return await connectToShadow();
      } catch (err) {
        throw describeConnectError(err, (shadow ?? main)?.config ?? {}, undefined);
      }
    },
    /** Drop temporary shadow databases the engine did not release. */
    async cleanup() {
      await Promise.allSettled(cleanups.map((fn) => fn()));
    },
  };

  async function connectToShadow() {
    if (shadow) {
      if (main && sameDatabase(main.config, shadow.config)) {
        throw new ConnectionError(
          'P3014',
          'The shadow database you configured appears to be the same as the main database. Please specify another shadow database.',
        );
      }
      await resetShadowDatabase(shadow.config, shadow.schema);
      return connectTo(shadow);
    }
    if (!main) {
      throw new ConnectionError('P3014', 'No shadow database url was configured (set datasource.shadowDatabaseUrl in prisma.config.ts).');
    }
    const temp = { ...main, config: { ...main.config, database: `prisma_migrate_shadow_db_${randomUUID()}` } };
    try {
      await createDatabase(temp.config);
    } catch (err) {
      throw new ConnectionError(
        'P3014',
        'Prisma Migrate could not create the shadow database. Please make sure the database user has permission to create databases, or set datasource.shadowDatabaseUrl.\n\n' +
          `Original error: ${err?.message ?? err}`,
      );
    }
    const adapter = await connectTo(temp);
    const dispose = adapter.dispose.bind(adapter);
    let dropped = false;
    const drop = async () => {
      if (dropped) return;
      dropped = true;
      await dropDatabase(temp.config);
    };
    cleanups.push(drop);
    adapter.dispose = async () => {
      await dispose().catch(() => {});
      await drop();
    };
    return adapter;
  }
}
