/**
 * Group commit for a Durable Object whose operations are synchronous: an
 * operation that arrives while the previous write is being made durable
 * waits for it, then runs back to back with the others that waited, and
 * they share the next write. Each operation still runs (and, with its own
 * transactionSync, fails) on its own; the point is one storage commit for
 * many operations under load, and no added wait when there is none.
 */
import { errorFields, log } from "../../workers/platform/log.ts";

export class GroupCommit {
  private committing: Promise<void> | null = null;
  private waiting: (() => void)[] = [];

  /** `afterBatch` runs after each batch of operations (e.g. to set the alarm once). */
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly afterBatch: () => void,
  ) {}

  run<T>(op: () => T): Promise<T> {
    if (this.committing) {
      return new Promise<T>((resolve, reject) =>
        this.waiting.push(() => {
          try {
            resolve(op());
          } catch (err) {
            reject(err);
          }
        }),
      );
    }
    try {
      return Promise.resolve(op());
    } catch (err) {
      return Promise.reject(err);
    } finally {
      this.written();
    }
  }

  private written(): void {
    this.afterBatch();
    this.committing = this.storage.sync().then(
      () => this.drain(),
      (err: unknown) => {
        // The runtime resets an object whose storage failed; let the waiting operations find out for themselves.
        log.error("durable_object.storage_failed", errorFields(err));
        this.drain();
      },
    );
  }

  private drain(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) {
      this.committing = null;
      return;
    }
    for (const op of batch) op();
    this.written();
  }
}
