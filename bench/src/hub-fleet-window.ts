/**
 * The fleet's shared bound on batches awaiting the hub's acknowledgement. A sensor takes a slot for
 * each batch it sends and gives it back when the batch is acknowledged or refused; a sensor that
 * finds none waits its turn, first come first served, so every sensor keeps publishing.
 */
export interface WindowUser {
  /** Called when a slot may be free for this sensor: it tries again. */
  resume(): void;
}

export class SendWindow {
  private used = 0;
  private readonly waiting: WindowUser[] = [];
  private readonly queued = new Set<WindowUser>();

  constructor(readonly size: number) {}

  /** Takes a slot, or queues `user` to be resumed when one is given back. */
  take(user: WindowUser): boolean {
    if (this.used < this.size) {
      this.used += 1;
      return true;
    }
    if (!this.queued.has(user)) {
      this.queued.add(user);
      this.waiting.push(user);
    }
    return false;
  }

  give(): void {
    this.used -= 1;
    const next = this.waiting.shift();
    if (next) {
      this.queued.delete(next);
      next.resume();
    }
  }
}
