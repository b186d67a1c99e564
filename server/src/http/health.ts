import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  /** Resolves with details when healthy; rejects (or times out) when not. */
  check(): Promise<Record<string, unknown> | undefined>;
}

export interface HealthOptions {
  checks: readonly ReadinessCheck[];
  /** True once shutdown began: readiness fails so load balancers stop sending traffic. */
  isShuttingDown: () => boolean;
  timeoutMs?: number;
}

/** Longest a readiness check may take: a probe answers within half a second, whatever is down. */
export const readinessTimeoutMs = 400;

/** `/healthz`: the process answers. `/readyz`: its dependencies answer too (503 otherwise). */
export function healthRoutes(options: HealthOptions): Router {
  const routes = Router();
  routes.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  routes.get('/readyz', async (_req, res) => {
    const timeoutMs = options.timeoutMs ?? readinessTimeoutMs;
    type Outcome = readonly [string, { status: 'ok' | 'unavailable' } & Record<string, unknown>];
    const results = await Promise.all(
      options.checks.map(async (item): Promise<Outcome> => {
        const started = performance.now();
        try {
          const details = await withTimeout(item.check(), timeoutMs);
          return [item.name, { ...details, status: 'ok', latencyMs: Math.round(performance.now() - started) }];
        } catch (error) {
          const reason = error instanceof TimeoutError ? 'timed out' : 'unavailable';
          return [item.name, { status: 'unavailable', reason, latencyMs: Math.round(performance.now() - started) }];
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const shuttingDown = options.isShuttingDown();
    const ready = !shuttingDown && results.every(([, result]) => result.status === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', shuttingDown, checks });
  });
  return routes;
}

class TimeoutError extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new TimeoutError());
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
