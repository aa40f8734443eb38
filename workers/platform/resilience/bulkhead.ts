/**
 * A bulkhead: at most `limit` calls to one dependency at once in this
 * isolate. A call beyond it is refused at once rather than queued, so a slow
 * provider holds at most `limit` of the isolate's requests and the rest
 * keep their time budget for everything else.
 */
export class Bulkhead {
  private inFlight = 0;

  constructor(readonly limit: number) {}

  get active(): number {
    return this.inFlight;
  }

  /** Takes a slot, or returns false when all are taken. Every true must be followed by `release()`. */
  tryAcquire(): boolean {
    if (this.inFlight >= this.limit) return false;
    this.inFlight += 1;
    return true;
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}
