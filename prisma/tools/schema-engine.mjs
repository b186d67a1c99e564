#!/usr/bin/env node
// Offline stand-in for Prisma's native `schema-engine` binary.
//
// Why: the Prisma 7 CLI (migrate dev/deploy/status/diff, db push, ...) shells out to a native
// schema engine that it downloads from binaries.prisma.sh on first use. That host is not
// reachable from our development and CI machines, so the CLI cannot run. The same engine
// ships as WebAssembly in @prisma/schema-engine-wasm, which talks to the database through a
// driver adapter instead of its own drivers. This program speaks the native binary's command
// line and JSON-RPC protocol to the CLI and forwards every call to the WASM engine, connected
// to Postgres through @prisma/adapter-pg. prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY
// here, so the CLI never tries to download anything.
//
// Scope: PostgreSQL only (the only provider this repo uses). Database-level plumbing lives in
// schema-engine-pg.mjs next to this file. If Prisma is upgraded, keep the version of
// @prisma/schema-engine-wasm in lock-step with the CLI's engine hash (`npx prisma --version`).

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

// stdout is the JSON-RPC channel: nothing else may be written to it.
console.log = console.info = console.warn = console.debug = (...args) => console.error(...args);
process.removeAllListeners('warning');

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, version: false, cli: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`Missing value for ${arg}`);
      return argv[++i];
    };
    if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg === '--datamodels' || arg === '-d') out.datamodels.push(value());
    else if (arg === '--datasource') out.datasource = JSON.parse(value());
    else if (arg === '--enabled-preview-features' || arg === '--extension-types')
      value(); // not used by the WASM engine
    else if (arg === 'cli') {
      out.cli = argv[i + 1];
      break;
    } else if (arg === '--help' || arg === '-h') out.help = true;
    else throw new Error(`Unknown argument: ${arg}`);
  }
  return out;
}

function engineHash() {
  const pkg = JSON.parse(fs.readFileSync(wasmPath('package.json'), 'utf8'));
  return pkg.version.split('.').pop();
}

function wasmPath(file) {
  return path.join(path.dirname(fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm'))), file);
}

// ---------------------------------------------------------------------------------------------
// `schema-engine cli <command>`: one-shot commands. Errors go to stderr as JSON log lines after
// one leading line, which the CLI skips.

function logLine(level, fields) {
  return JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: 'schema_engine::logger' });
}

async function runCliCommand(command, datasource) {
  const pgmod = await import('./schema-engine-pg.mjs');
  let config;
  try {
    if (!datasource?.url) throw new pgmod.ConnectionError('P1012', 'No datasource url was given.');
    ({ config } = pgmod.parsePostgresUrl(datasource.url));
    switch (command) {
      case 'can-connect-to-database':
        await pgmod.canConnect(config);
        break;
      case 'create-database':
        await pgmod.createDatabase(config);
        process.stdout.write(`Database '${config.database}' was successfully created.\n`);
        break;
      case 'drop-database':
        await pgmod.dropDatabase(config);
        process.stdout.write(`The database '${config.database}' was successfully dropped.\n`);
        break;
      default:
        throw new pgmod.ConnectionError('P1000', `Unknown cli command: ${command}`);
    }
    return 0;
  } catch (err) {
    const e =
      command === 'can-connect-to-database' || !err?.code?.startsWith?.('P')
        ? pgmod.describeConnectError(err, config ?? { host: '?', port: '?', database: '?', user: '?' })
        : err;
    // The CLI drops the first stderr line and parses every following line as JSON.
    process.stderr.write(`${logLine('INFO', { message: `Running cli ${command}` })}\n`);
    process.stderr.write(`${logLine('ERROR', { error_code: e.code, message: e.message })}\n`);
    return 1;
  }
}

// ---------------------------------------------------------------------------------------------
// The WASM engine

let panicMessage = '';
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  get: () => panicMessage,
  set_message: (message) => {
    panicMessage = message;
  },
};

async function loadWasm() {
  const glue = await import(pathToFileURL(wasmPath('schema_engine_bg.js')).href);
  const module = new WebAssembly.Module(fs.readFileSync(wasmPath('schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

// The engine's first query, run while it is being constructed (to detect the server flavour).
const STARTUP_PROBE = /^SELECT EXISTS\(SELECT 1 FROM pg_namespace WHERE nspname = \$1\), version\(\)/;

/**
 * Commands that never read the main database (e.g. `migrate diff --from-empty --to-schema`) must
 * work without one, like with the native engine. The WASM engine connects while it is being
 * constructed, so for such commands a failed start-up probe is answered with a neutral
 * PostgreSQL description; any later query still reports the real connection error.
 */
function neutralProbe(adapter, connectionError) {
  const offline = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async queryRaw(query) {
      if (!STARTUP_PROBE.test(query.sql)) throw connectionError;
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        columnTypes: [5, 7, 0],
        rows: [[true, 'PostgreSQL 15.0 (offline: no database needed for this command)', 150000]],
      };
    },
    executeRaw: async () => {
      throw connectionError;
    },
    executeScript: async () => {
      throw connectionError;
    },
    startTransaction: async () => {
      throw connectionError;
    },
    dispose: async () => {},
    getConnectionInfo: () => ({ schemaName: 'public', supportsRelationJoins: true }),
  };
  if (!adapter) return offline;
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    if (!STARTUP_PROBE.test(query.sql)) return queryRaw(query);
    try {
      return await queryRaw(query);
    } catch {
      return offline.queryRaw(query);
    }
  };
  return adapter;
}

const DATABASE_FREE_TARGETS = new Set(['empty', 'schemaDatamodel', 'migrations']);

function needsMainDatabase(method, params) {
  if (method === 'diff') return !(DATABASE_FREE_TARGETS.has(params?.from?.tag) && DATABASE_FREE_TARGETS.has(params?.to?.tag));
  return true;
}

class EngineHost {
  constructor(args) {
    this.args = args;
    this.enginePromise = undefined;
    this.factory = undefined;
    this.bound = undefined;
  }

  async engine(method, params) {
    this.enginePromise ??= this.start(!needsMainDatabase(method, params));
    return this.enginePromise;
  }

  async start(databaseOptional) {
    const [glue, pgmod, utils] = await Promise.all([loadWasm(), import('./schema-engine-pg.mjs'), import('@prisma/driver-adapter-utils')]);
    const { url, shadowDatabaseUrl } = this.args.datasource ?? {};
    const connectionError = new pgmod.ConnectionError(
      'P1012',
      'No datasource url was configured (set datasource.url in prisma.config.ts).',
    );
    this.factory = pgmod.createAdapterFactory({
      mainUrl: url,
      shadowUrl: shadowDatabaseUrl,
      probeFallback: databaseOptional ? (adapter) => neutralProbe(adapter, connectionError) : undefined,
    });
    this.bound = utils.bindMigrationAwareSqlAdapterFactory(this.factory);
    const datamodels = this.args.datamodels.map((p) => [p, fs.readFileSync(path.resolve(p), 'utf8')]);
    const log = (line) => {
      const text = typeof line === 'string' ? line : JSON.stringify(line);
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    };
    return glue.SchemaEngine.new({ datamodels: datamodels.length > 0 ? datamodels : undefined }, log, this.bound);
  }

  async close() {
    if (this.enginePromise) {
      try {
        (await this.enginePromise).free();
      } catch {
        // engine failed to start or is already gone
      }
    }
    await this.factory?.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC over stdin/stdout

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

function rpcError(err, host) {
  if (err instanceof WebAssembly.RuntimeError || err?.name === 'RuntimeError') {
    const message = panicMessage || err.message;
    return { code: 4466, message, data: { is_panic: true, message: `${message}\n${err.stack ?? ''}`, backtrace: err.stack } };
  }
  let message = err?.message ?? String(err);
  let code = typeof err?.code === 'string' && err.code.length > 0 ? err.code : undefined;
  // Errors thrown by JavaScript inside the adapter reach the engine only as an id
  // ("External error id#0"); the original is kept in the bound factory's registry.
  const ref = /External error id#(\d+)/.exec(message);
  const jsError = ref ? host?.bound?.errorRegistry?.consumeError?.(Number(ref[1]))?.error : undefined;
  if (jsError) {
    message = message.replace(ref[0], jsError.message ?? String(jsError));
    if (!code && /^P\d{4}$/.test(jsError.code ?? '')) code = jsError.code;
  }
  const data = { is_panic: false, message };
  if (code) {
    data.error_code = code;
    data.meta = err?.meta ?? {};
  }
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

async function serve(args) {
  const host = new EngineHost(args);
  const pendingPrints = new Map();
  let printId = 0;
  const requestFromCli = (method, params) =>
    new Promise((resolve) => {
      const id = `stand-in-${++printId}`;
      pendingPrints.set(id, resolve);
      send({ jsonrpc: '2.0', id, method, params });
    });

  const handlers = {
    async getDatabaseVersion(params) {
      return (await host.engine('version', params)).version(params ?? undefined);
    },
    async diff(params) {
      const { stdout, exitCode } = await (await host.engine('diff', params)).diff(params);
      if (stdout !== null && stdout !== undefined) await requestFromCli('print', { content: stdout.replace(/\n$/, '') });
      return { exitCode };
    },
    async createDatabase(params) {
      const pgmod = await import('./schema-engine-pg.mjs');
      const url = params?.datasource?.url ?? args.datasource?.url;
      const { config } = pgmod.parsePostgresUrl(url);
      return { databaseName: await pgmod.createDatabase(config) };
    },
    async getDatabaseDescription() {
      throw new Error('getDatabaseDescription is not supported by the WASM schema engine.');
    },
    async debugPanic() {
      (await host.engine('debugPanic')).debugPanic();
      return {};
    },
  };
  // The WASM engine hands the shadow database factory to diagnoseMigrationHistory/devDiagnostic
  // only; evaluateDataLoss and createMigration can just reuse the schema those computed for the
  // same list of migrations (a cache inside the engine) and otherwise fail with "PostgreSQL shadow
  // DB must be provided through an external factory". `migrate dev` runs devDiagnostic *before*
  // it applies pending migrations, so the cache holds a shorter history whenever there was
  // something to apply. Diagnosing again (read-only) once they are applied fills the cache for
  // the full list; then the call is retried once.
  for (const method of ['evaluateDataLoss', 'createMigration']) {
    handlers[method] = async (params) => {
      const engine = await host.engine(method, params);
      try {
        return await engine[method](params);
      } catch (err) {
        if (!/shadow DB must be provided through an external factory/.test(err?.message ?? '')) throw err;
        await engine.diagnoseMigrationHistory({
          migrationsList: params.migrationsList,
          optInToShadowDatabase: true,
          filters: params.filters,
        });
        return engine[method](params);
      }
    };
  }
  for (const method of [
    'applyMigrations',
    'dbExecute',
    'devDiagnostic',
    'diagnoseMigrationHistory',
    'ensureConnectionValidity',
    'introspect',
    'introspectSql',
    'markMigrationApplied',
    'markMigrationRolledBack',
    'reset',
    'schemaPush',
  ]) {
    handlers[method] = async (params) => {
      const engine = await host.engine(method, params);
      const result = await engine[method](params);
      return result ?? {};
    };
  }

  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined) {
      // A response from the CLI to one of our requests (print).
      pendingPrints.get(message.id)?.(message.result);
      pendingPrints.delete(message.id);
      return;
    }
    queue = queue.then(async () => {
      const handler = handlers[message.method];
      if (!handler) {
        send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
        return;
      }
      panicMessage = '';
      try {
        const result = await handler(message.params);
        send({ jsonrpc: '2.0', id: message.id, result: result ?? {} });
      } catch (err) {
        const error = rpcError(err, host);
        send({ jsonrpc: '2.0', id: message.id, error });
        // Like the native engine, do not carry on after a panic: the WASM instance is unusable.
        if (error.data.is_panic) process.stdout.write('', () => process.exit(101));
      }
    });
  });
  lines.on('close', () => {
    queue.then(() => host.close()).finally(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  process.stdout.write(`schema-engine-cli ${engineHash()}\n`);
} else if (args.help) {
  process.stdout.write('Offline stand-in for the Prisma schema engine. See the header of this file.\n');
} else if (args.cli) {
  process.exitCode = await runCliCommand(args.cli, args.datasource);
} else {
  await serve(args);
}
