import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process. Gauges of the queue, the summarizer breaker, the event bus and
 * WebSocket connections are read when scraped, through `collect` callbacks given by their owners.
 */
export interface Metrics {
  registry: Registry;
  procedureDuration: Histogram<'procedure' | 'transport' | 'outcome'>;
  httpRequests: Counter<'mount' | 'status'>;
  /** Registers a gauge whose value is read at scrape time. */
  gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    collect: (set: (labels: Record<string, string>, value: number) => void) => Promise<void> | void,
  ): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pressbox_' });
  const procedureDuration = new Histogram({
    name: 'pressbox_procedure_duration_seconds',
    help: 'Time to answer a procedure, by procedure, transport (rest, trpc, ws) and outcome (ok or error code)',
    labelNames: ['procedure', 'transport', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'pressbox_http_requests_total',
    help: 'HTTP requests answered, by mount point and status class',
    labelNames: ['mount', 'status'] as const,
    registers: [registry],
  });
  return {
    registry,
    procedureDuration,
    httpRequests,
    gauge(name, help, labelNames, collect) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          await collect((labels, value) => {
            this.set(labels, value);
          });
        },
      });
    },
  };
}
