/** A FIFO counting semaphore: at most `max` holders, waiters served in arrival order. */
export class Slots {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxChannels must be a positive integer, got ${max}`);
  }

  get inUse(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free; `cancel()` leaves the queue. */
  acquire(): { granted: Promise<() => void>; cancel: () => void } {
    let wake: (() => void) | undefined;
    const granted = new Promise<() => void>((resolve) => {
      wake = () => {
        this.active += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active -= 1;
          this.waiters.shift()?.();
        });
      };
    });
    const start = wake as () => void;
    if (this.active < this.max && this.waiters.length === 0) start();
    else this.waiters.push(start);
    return {
      granted,
      cancel: () => {
        const index = this.waiters.indexOf(start);
        if (index >= 0) this.waiters.splice(index, 1);
      },
    };
  }
}
