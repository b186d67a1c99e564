/**
 * One consumer waiting for its producers: `until(ready)` resolves at once when the consumer has
 * something to do, else on the next `wake()`. A wake with nobody waiting is dropped, so the
 * consumer checks its state before each wait (as `until`'s argument does).
 */
export class Wakeup {
  private waiter: (() => void) | undefined;

  until(ready: boolean): Promise<void> {
    if (ready) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
