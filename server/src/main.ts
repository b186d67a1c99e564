import { loadConfig, ConfigError, type Config } from './config.ts';
import { environmentWithFile } from './env-file.ts';
import type { Role } from './server.ts';

function roleFromArgs(args: readonly string[]): Role {
  const flag = args.find((arg) => arg.startsWith('--role='));
  const role = flag?.slice('--role='.length) ?? 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') throw new ConfigError(`Unknown --role=${role}; expected all, api or worker`);
  return role;
}

async function main(): Promise<void> {
  let config: Config;
  let role: Role;
  try {
    config = loadConfig(environmentWithFile(process.env));
    role = roleFromArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`pressbox: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  // Loaded after the configuration is known to be valid, so a bad setting fails in milliseconds.
  const [{ createLogger }, { startPressbox }, { mintDevToken }, { summarize }] = await Promise.all([
    import('./logger.ts'),
    import('./server.ts'),
    import('./auth/dev-keys.ts'),
    import('./http/errors.ts'),
  ]);
  const log = createLogger(config.logLevel);
  const started = performance.now();
  const running = await startPressbox(config, log, role).catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`pressbox: ${error.message}\n`);
      process.exit(78);
    }
    log.fatal({ err: summarize(error) }, 'start-up failed');
    log.flush();
    process.stderr.write(`pressbox: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  const readyMs = Math.round(performance.now() - started);
  log.info(
    { role, url: running.url, database: running.services.db.kind, redis: Boolean(config.redisUrl), auth: config.auth.mode, readyMs },
    'pressbox ready',
  );
  if (running.url && config.nodeEnv === 'production' && config.metricsToken === undefined) {
    log.warn('GET /metrics is open: set PRESSBOX_METRICS_TOKEN, or keep the port off public networks');
  }

  if (running.url) {
    const lines = [`Pressbox is ready at ${running.url} (${role}, ${String(readyMs)} ms)`, `  API reference: ${running.url}/docs`];
    if (running.services.devKey && config.auth.mode === 'dev') {
      const token = mintDevToken(running.services.devKey, { userId: 'user_demo', issuer: config.auth.issuer });
      lines.push(
        `  Dev token for user_demo (valid 1 h):`,
        `    ${token}`,
        `  Try: curl -H "Authorization: Bearer <token>" ${running.url}/api/v1/teams`,
        `  Another user: npm run -s token -- <userId>`,
      );
    }
    process.stderr.write(`${lines.join('\n')}\n`);
  }

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    running
      .stop()
      .then(() => {
        log.info('stopped');
        log.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: summarize(error) }, 'shutdown failed');
        log.flush();
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void main();
