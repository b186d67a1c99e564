import { setImmediate as nextLoopTurn } from 'node:timers/promises';

/**
 * The calls of one request (a tRPC batch) or one WebSocket connection, run a few at a time and
 * each after a pass of the event loop, so that no single caller holds the process: health
 * probes and other callers are served between any two of its calls.
 */
export class CallTurns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running += 1;
    else
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
      });
    try {
      await nextLoopTurn();
      return await call();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
