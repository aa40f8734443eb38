/**
 * Change feeds of single KV keys, for live views: one feed per key this
 * process follows, shared by every socket that follows it and closed with
 * the last of them. A feed hears a change from `kv.watch` (at once in this
 * process, and across processes on Deno Deploy's KV) and, when `pollMs` is
 * set, also reads its key on that interval, because a local KV file does not
 * signal another process's writes to this process's watches. Both paths
 * deliver a value only if its versionstamp is newer than the last one the
 * feed delivered, so a change heard twice is sent once.
 *
 * What a subscriber gets is the latest value, not every value: a watch may
 * skip intermediate states, and a subscriber that has not started yet keeps
 * only the newest value that arrived meanwhile.
 */
import { errorFields, log } from "../log.ts";
import type { Kv, KvEntry, KvKey } from "./deno-api.ts";

/** One follower of a key's changes. */
export interface Subscription {
  /** Starts delivering: the newest value that arrived since subscribing (if any), then each later one. */
  start(send: (value: string) => void): void;
  close(): void;
}

interface Feed {
  key: KvKey;
  /** The versionstamp of the last value delivered (or of the value there was when the feed opened). */
  stamp: string | null;
  /** Whether the first read (the starting point) is done. */
  ready: boolean;
  opened: Promise<void>;
  reader: ReadableStreamDefaultReader<KvEntry<unknown>[]>;
  subscribers: Set<Subscriber>;
}

class Subscriber implements Subscription {
  private held: string | null = null;
  private sink: ((value: string) => void) | null = null;

  constructor(private readonly leave: (s: Subscriber) => void) {}

  push(value: string): void {
    if (this.sink) this.sink(value);
    else this.held = value;
  }

  start(send: (value: string) => void): void {
    this.sink = send;
    const held = this.held;
    this.held = null;
    if (held !== null) send(held);
  }

  close(): void {
    this.sink = null;
    this.held = null;
    this.leave(this);
  }
}

/** Keys read per `getMany` while polling (Deno KV's limit). */
const KEYS_PER_READ = 10;

export class LiveFeeds {
  private readonly feeds = new Map<string, Feed>();
  private poller: ReturnType<typeof setInterval> | null = null;
  private polling = false;

  constructor(
    private readonly kv: Kv,
    private readonly options: { pollMs: number | null },
  ) {}

  /** Keys followed now (each one watch). */
  get size(): number {
    return this.feeds.size;
  }

  /**
   * Follows `key`; resolves once the feed has its starting point, so any
   * change committed after that is delivered to the subscription.
   */
  async subscribe(key: KvKey): Promise<Subscription> {
    const id = JSON.stringify(key);
    let feed = this.feeds.get(id);
    if (!feed) {
      feed = this.open(key);
      this.feeds.set(id, feed);
    }
    const open = feed;
    const subscriber = new Subscriber((s) => this.leave(id, open, s));
    open.subscribers.add(subscriber);
    try {
      await open.opened;
    } catch (err) {
      subscriber.close();
      throw err;
    }
    return subscriber;
  }

  private open(key: KvKey): Feed {
    const reader = this.kv.watch([key]).getReader();
    const feed: Feed = { key, stamp: null, ready: false, opened: Promise.resolve(), reader, subscribers: new Set() };
    feed.opened = reader.read().then(({ value, done }) => {
      if (done) throw new Error("The KV watch ended before its first read");
      feed.stamp = value[0]?.versionstamp ?? null;
      feed.ready = true;
      void this.follow(feed);
      this.startPolling();
    });
    return feed;
  }

  private async follow(feed: Feed): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await feed.reader.read();
        if (done) return;
        if (value[0]) this.deliver(feed, value[0]);
      }
    } catch (err) {
      // The store closing ends every watch; polling (where on) still serves the feed.
      if (this.feeds.size > 0) log.warn("live_feed.watch_ended", errorFields(err));
    }
  }

  private deliver(feed: Feed, entry: KvEntry<unknown>): void {
    const stamp = entry.versionstamp;
    if (stamp === null || (feed.stamp !== null && stamp <= feed.stamp)) return;
    feed.stamp = stamp;
    if (typeof entry.value !== "string") return;
    for (const s of feed.subscribers) s.push(entry.value);
  }

  private leave(id: string, feed: Feed, subscriber: Subscriber): void {
    feed.subscribers.delete(subscriber);
    if (feed.subscribers.size > 0 || this.feeds.get(id) !== feed) return;
    this.feeds.delete(id);
    void feed.reader.cancel().catch(() => undefined);
    if (this.feeds.size === 0 && this.poller !== null) {
      clearInterval(this.poller);
      this.poller = null;
    }
  }

  private startPolling(): void {
    if (this.options.pollMs === null || this.poller !== null || this.feeds.size === 0) return;
    this.poller = setInterval(() => void this.poll(), this.options.pollMs);
  }

  /** Reads every followed key (a `getMany` per ten) and delivers what changed; one poll at a time. */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const feeds = [...this.feeds.values()].filter((f) => f.ready);
      for (let i = 0; i < feeds.length; i += KEYS_PER_READ) {
        const chunk = feeds.slice(i, i + KEYS_PER_READ);
        const entries = await this.kv.getMany<unknown[]>(chunk.map((f) => f.key));
        for (const [j, entry] of entries.entries()) this.deliver(chunk[j]!, entry);
      }
    } catch (err) {
      log.warn("live_feed.poll_failed", errorFields(err));
    } finally {
      this.polling = false;
    }
  }
}
