import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { answerClientErrors, MAX_HEADER_BYTES } from './http/client-errors.ts';
import { attachWebSocket, type WebSocketEndpoint } from './ws.ts';
import { ConfigError, type Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { ServiceOverrides, Services } from './services/container.ts';
import { createServices } from './services/create.ts';

export type Role = 'all' | 'api' | 'worker';

export interface RunningPressbox {
  services: Services;
  /** The HTTP server; undefined for a worker-only process. */
  server: Server | undefined;
  url: string | undefined;
  /** Stops taking work, lets in-flight requests finish (up to `graceMs`), closes everything. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts Pressbox in one of its roles: the API (HTTP + WebSocket), the workers, or both in one
 * process (the default of `npm start`).
 */
export async function startPressbox(config: Config, log: Logger, role: Role, overrides: ServiceOverrides = {}): Promise<RunningPressbox> {
  if (role !== 'all' && (!config.redisUrl || !config.databaseUrl)) {
    throw new ConfigError(
      `--role=${role} runs the API and the workers in separate processes, which share jobs and events through REDIS_URL and data through DATABASE_URL; set both, or use npm start to run everything in one process`,
    );
  }
  const services = await createServices(config, log, { runWorkers: role !== 'api', ...overrides });
  let shuttingDown = false;
  let server: Server | undefined;
  let url: string | undefined;
  let websocket: WebSocketEndpoint | undefined;
  try {
    if (role !== 'worker') {
      const app = createApp(services, { isShuttingDown: () => shuttingDown });
      server = createServer(
        { requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000, maxHeaderSize: MAX_HEADER_BYTES },
        app,
      );
      answerClientErrors(server);
      websocket = attachWebSocket(server, services);
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(config.port, config.host, () => {
          listening.off('error', reject);
          resolve();
        });
      });
      const address = listening.address() as AddressInfo;
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- Pressbox speaks plain HTTP; TLS is terminated in front of it
      url = `http://${config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost'}:${String(address.port)}`;
    }
  } catch (error) {
    await services.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      shuttingDown = true;
      // No new connections, and each open one closes after its current answer (see createApp).
      const closed = server ? stopListening(server, graceMs) : Promise.resolve();
      await websocket?.close();
      await closed;
      await services.close();
    })();
    return stopping;
  };
  return { services, server, url, stop };
}

/**
 * Stops accepting connections and closes the idle ones; busy ones close as soon as their answer is
 * out, and whatever is left is cut at the end of the grace period.
 */
async function stopListening(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  server.closeIdleConnections();
  // A connection whose answer was under way when the drain began turns idle later: close it then,
  // not at the end of its keep-alive timeout.
  const sweep = setInterval(() => {
    server.closeIdleConnections();
  }, 100);
  const deadline = setTimeout(() => {
    server.closeAllConnections();
  }, graceMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
}
