/**
 * ProductViewed signals from the catalogue's product reads. A read must stay
 * as fast as a cache hit, so a view is never written to the outbox in the
 * request: it is (optionally sampled, then) put in a small per-isolate
 * buffer that is sent straight to the pipeline's and the recommendations'
 * queues in the background
 * (waitUntil) a moment later or as soon as it holds a full batch. These are
 * analytics signals and loss-tolerant by design: a failed send or an
 * isolate that dies with views in its buffer loses those views, and nothing
 * else depends on them.
 */

import { ProductViewed } from "../../queues/contracts/events/product.ts";
import { hasRole } from "../platform/auth.ts";
import type { AppContext } from "../platform/context.ts";
import { buildEvent } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { errorFields, log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { actorOf, eventFrom } from "../platform/scope.ts";
import { productsConfig } from "./config.ts";

/** Queues take at most 100 messages per sendBatch. */
export const VIEW_BATCH = 100;
export const VIEW_FLUSH_MS = 250;

export interface ViewSink {
  sendBatch(envelopes: Envelope[]): Promise<unknown>;
}

/** The queues of the groups that use view signals: the pipeline (funnels) and recommendations (trending, personal feeds). */
const VIEW_QUEUES = ["Q_PIPELINE", "Q_RECOMMENDATIONS"] as const;
const pipelineQueue = (rt: Pick<Runtime, "queues">): ViewSink => ({
  // Each queue on its own: one that fails does not hold back the other's batch.
  sendBatch: async (envelopes) => {
    const sent = await Promise.allSettled(VIEW_QUEUES.map((q) => rt.queues.sendBatch(q, envelopes)));
    const failed = sent.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  },
});

/** Buffers envelopes and sends them in batches; a failed send is logged and dropped, never raised. */
export class ViewBuffer {
  private pending: Envelope[] = [];
  private scheduled = false;

  constructor(
    private readonly flushMs = VIEW_FLUSH_MS,
    private readonly max = VIEW_BATCH,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  get size(): number {
    return this.pending.length;
  }

  add(sink: ViewSink, envelope: Envelope, waitUntil: (p: Promise<unknown>) => void): void {
    this.pending.push(envelope);
    if (this.pending.length >= this.max) {
      waitUntil(this.flush(sink));
    } else if (!this.scheduled) {
      // The request that schedules the flush keeps it alive; later views ride along.
      this.scheduled = true;
      waitUntil(this.sleep(this.flushMs).then(() => this.flush(sink)));
    }
  }

  async flush(sink: ViewSink): Promise<number> {
    this.scheduled = false;
    let sent = 0;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.max);
      try {
        await sink.sendBatch(batch);
        sent += batch.length;
      } catch (err) {
        log.warn("analytics.views_dropped", { count: batch.length, ...errorFields(err) });
      }
    }
    return sent;
  }
}

const buffer = new ViewBuffer();

/** Called by the product read route after a product was found (served from cache or rendered). */
export function recordProductView(c: AppContext, productRef: string): void {
  try {
    const rate = productsConfig.read(c.env).ANALYTICS_VIEW_SAMPLE_RATE;
    if (rate <= 0 || Math.random() >= rate) return;
    const principal = c.get("principal");
    // Shoppers' reads only: staff and service tokens read products to manage them.
    if (principal && (principal.kind !== "user" || !hasRole(principal, "customer"))) return;
    const caused = { correlationId: c.get("requestId"), actor: actorOf(principal) };
    const envelope = buildEvent(
      ProductViewed,
      eventFrom(caused, "products", productRef, { productRef, userId: principal?.id ?? null, sampleRate: rate }),
    ) as Envelope;
    buffer.add(pipelineQueue(c.env), envelope, (p) => c.env.waitUntil(p));
  } catch (err) {
    // A view signal must never fail the read.
    log.warn("analytics.view_not_recorded", errorFields(err));
  }
}
