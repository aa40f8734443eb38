/**
 * Queues on Deno KV: `send` enqueues a KV message naming the queue, the
 * process's one `listenQueue` hands it back here, and messages of one queue
 * are gathered into batches (up to the queue's batch size, or a short wait)
 * and given to the same consumer framework as on Cloudflare as a
 * `MessageBatch`. A message retried by the framework is enqueued again with
 * its delay and one more attempt; after the queue's retries it goes to the
 * dead-letter queue, as Cloudflare moves it. Delivery is at least once: a
 * process that dies mid-batch has KV redeliver the message.
 */
import type { QueuesPort } from "../runtime.ts";
import type { Kv } from "./deno-api.ts";

/** One queue binding's delivery settings (from wrangler.toml's consumers). */
export interface QueueBinding {
  /** The queue's name, which the consumer framework dispatches on. */
  queue: string;
  maxBatchSize: number;
  maxRetries: number;
  /** The binding dead letters go to; none for a dead-letter queue itself. */
  deadLetterBinding?: string;
}

interface QueuedMessage {
  kind: "queue-message";
  binding: string;
  id: string;
  body: unknown;
  attempts: number;
  sentAt: number;
}

type Outcome = { retryDelaySeconds: number } | "ack";
interface Pending {
  message: QueuedMessage;
  settle: (outcome: Outcome) => void;
}

const isQueued = (m: unknown): m is QueuedMessage => (m as QueuedMessage | null)?.kind === "queue-message";

/** Batches of one queue handled at once in this process. */
const MAX_BATCHES_IN_FLIGHT = 2;

export class KvQueues {
  private readonly pending = new Map<string, { items: Pending[]; timer: ReturnType<typeof setTimeout> }>();
  private readonly slots = new Map<string, { busy: number; waiting: (() => void)[] }>();

  constructor(
    private readonly kv: Kv,
    private readonly bindings: Readonly<Record<string, QueueBinding>>,
    private readonly deliver: (batch: MessageBatch) => Promise<void>,
    private readonly batchWaitMs = 200,
  ) {}

  readonly port: QueuesPort = {
    send: (binding, body) => this.enqueue(binding, [body]),
    sendBatch: (binding, bodies) => this.enqueue(binding, bodies),
    has: (binding) => binding in this.bindings,
  };

  private async enqueue(binding: string, bodies: unknown[], attempts = 1, delayMs = 0): Promise<void> {
    if (!(binding in this.bindings)) throw new Error(`The queue binding ${binding} is not configured`);
    // One atomic commit: a batch is sent whole or not at all.
    const op = this.kv.atomic();
    for (const body of bodies) {
      const message: QueuedMessage = { kind: "queue-message", binding, id: crypto.randomUUID(), body, attempts, sentAt: Date.now() };
      op.enqueue(message, delayMs > 0 ? { delay: delayMs } : undefined);
    }
    const result = await op.commit();
    if (!result.ok) throw new Error(`Enqueueing on ${binding} failed`);
  }

  /** Takes a KV message if it is a queue message; resolves once its batch has been handled. */
  receive(raw: unknown): Promise<void> | null {
    if (!isQueued(raw)) return null;
    const binding = this.bindings[raw.binding];
    if (!binding) return Promise.resolve();
    return new Promise<Outcome>((settle) => this.gather(raw, binding, settle)).then((outcome) => this.after(raw, binding, outcome));
  }

  private gather(message: QueuedMessage, binding: QueueBinding, settle: Pending["settle"]): void {
    let group = this.pending.get(message.binding);
    if (!group) {
      group = { items: [], timer: setTimeout(() => this.flush(message.binding), this.batchWaitMs) };
      this.pending.set(message.binding, group);
    }
    group.items.push({ message, settle });
    if (group.items.length >= binding.maxBatchSize) this.flush(message.binding);
  }

  private flush(name: string): void {
    const group = this.pending.get(name);
    if (!group) return;
    clearTimeout(group.timer);
    this.pending.delete(name);
    const binding = this.bindings[name] as QueueBinding;
    const outcomes = new Map<Pending, Outcome>();
    const messages = group.items.map((item) => ({
      id: item.message.id,
      timestamp: new Date(item.message.sentAt),
      body: item.message.body,
      attempts: item.message.attempts,
      ack: () => void outcomes.set(item, "ack"),
      retry: (o?: QueueRetryOptions) => void outcomes.set(item, { retryDelaySeconds: o?.delaySeconds ?? 0 }),
    }));
    const setAll = (outcome: Outcome) => {
      for (const item of group.items) outcomes.set(item, outcome);
    };
    const settleAll = (fallback: Outcome) => {
      for (const item of group.items) item.settle(outcomes.get(item) ?? fallback);
    };
    const batch = {
      queue: binding.queue,
      messages,
      ackAll: () => setAll("ack"),
      retryAll: (o?: QueueRetryOptions) => setAll({ retryDelaySeconds: o?.delaySeconds ?? 0 }),
    } as unknown as MessageBatch;
    // As on Cloudflare: a handler that returns acknowledges what it did not retry; one that throws retries the rest.
    this.whenSlotFree(name, () =>
      this.deliver(batch).then(
        () => settleAll("ack"),
        () => settleAll({ retryDelaySeconds: 0 }),
      ),
    );
  }

  /**
   * Runs a batch once fewer than MAX_BATCHES_IN_FLIGHT of its queue are being
   * handled: a burst of events (thousands of stock levels at start-up) is
   * worked through a few batches at a time, as Cloudflare's consumer
   * concurrency does, instead of opening a database session per batch at once.
   */
  private whenSlotFree(queue: string, run: () => Promise<void>): void {
    const slots = this.slots.get(queue) ?? { busy: 0, waiting: [] };
    this.slots.set(queue, slots);
    const start = () => {
      slots.busy++;
      void run().finally(() => {
        slots.busy--;
        slots.waiting.shift()?.();
      });
    };
    if (slots.busy < MAX_BATCHES_IN_FLIGHT) start();
    else slots.waiting.push(start);
  }

  private async after(message: QueuedMessage, binding: QueueBinding, outcome: Outcome): Promise<void> {
    if (outcome === "ack") return;
    if (message.attempts < binding.maxRetries + 1) {
      await this.enqueue(message.binding, [message.body], message.attempts + 1, outcome.retryDelaySeconds * 1000);
    } else if (binding.deadLetterBinding) {
      await this.enqueue(binding.deadLetterBinding, [message.body]);
    }
  }
}
