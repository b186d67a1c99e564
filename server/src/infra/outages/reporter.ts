import { errorLogFields } from '@pressbox/db';
import type { Logger } from '../../logger.ts';
import type { Dependency } from './classify.ts';

/**
 * The log of a dependency's outages: one warning when it goes away, one line when it is back
 * (with how long it was gone), however many connections, requests and jobs notice in between.
 */
export interface OutageReporter {
  /** Something noticed the dependency is unreachable; logs only the first notice of an outage. */
  down(error?: unknown): void;
  /** The dependency answers again; logs once if it was down. */
  up(): void;
  isDown(): boolean;
  /** Outages that began since start (the one going on included). */
  outages(): number;
  /** Stops probing and reporting (shutdown, when connections closing on purpose are no outage). */
  close(): void;
}

export interface OutageReporterOptions {
  /**
   * Asked every `probeEveryMs` while the dependency is down; the first success ends the outage.
   * Without it, only `up()` does.
   */
  probe?: () => Promise<unknown>;
  probeEveryMs?: number;
  now?: () => number;
}

export function createOutageReporter(log: Logger, dependency: Dependency, options: OutageReporterOptions = {}): OutageReporter {
  const now = options.now ?? Date.now;
  let downSince: number | undefined;
  let outages = 0;
  let probing: NodeJS.Timeout | undefined;
  let closed = false;
  const reporter: OutageReporter = {
    down(error) {
      if (downSince !== undefined || closed) return;
      downSince = now();
      outages++;
      if (options.probe) probeUntilUp(options.probe);
      log.warn(
        { dependency, ...(error === undefined ? {} : { err: errorLogFields(error) }) },
        `${dependency} unavailable: requests that need it answer 503 until it is back`,
      );
    },
    up() {
      if (downSince === undefined) return;
      const downMs = now() - downSince;
      downSince = undefined;
      clearTimeout(probing);
      log.info({ dependency, downMs }, `${dependency} available again`);
    },
    isDown: () => downSince !== undefined,
    outages: () => outages,
    close() {
      closed = true;
      clearTimeout(probing);
    },
  };
  function probeUntilUp(probe: () => Promise<unknown>): void {
    probing = setTimeout(function probeDependency() {
      probe().then(
        () => {
          reporter.up();
        },
        () => {
          if (downSince !== undefined) probeUntilUp(probe);
        },
      );
    }, options.probeEveryMs ?? 500);
    probing.unref();
  }
  return reporter;
}

/** The events of a Redis connection that tell an outage began and ended. */
interface ConnectionEvents {
  on(event: 'ready' | 'reconnecting', listener: () => void): unknown;
}

/**
 * Reports a connection's outages: down when it starts reconnecting (it lost Redis; a connection
 * closed on purpose does not reconnect), up when it is ready again.
 */
export function watchConnection(connection: ConnectionEvents, reporter: OutageReporter): void {
  connection.on('reconnecting', () => {
    reporter.down();
  });
  connection.on('ready', () => {
    reporter.up();
  });
}
