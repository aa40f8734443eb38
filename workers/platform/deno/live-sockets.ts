/**
 * Live views over WebSocket on Deno (a Durable Object's hibernatable
 * sockets on Cloudflare). An upgrade to a hosted object's `fetch` is
 * answered in two steps, because Deno upgrades only the request its server
 * handed over (not the copy the route passes to the object) and a `Response`
 * cannot carry status 101 through the gateway:
 *
 * 1. `prepare` (the object stub's fetch): takes a socket slot (503 when the
 *    process holds `maxSockets`), follows the object's live key, asks the
 *    object for its greeting (what its `webSocketMessage` answers) and
 *    returns a stand-in response that names the prepared upgrade;
 * 2. `accept` (the entry, after the gateway): swaps a stand-in for Deno's
 *    own 101 from `Deno.upgradeWebSocket` on the original request, with the
 *    headers the gateway put on the stand-in (request id, trace context,
 *    security and rate-limit headers), and wires the socket: the greeting
 *    first, then every value the live key takes (kv.watch; the object
 *    writes its broadcasts there in the commit of the change), and for each
 *    message the client sends, the object's answer.
 *
 * Following the key before asking for the greeting means no change falls
 * between the two: a change is in the greeting, or delivered after it, or
 * both (then sent twice). The socket's close releases its slot and, with
 * the last socket of a key, the watch. The gateway logs and counts the
 * stand-in as 101 (prepared-upgrade.ts).
 */
import { ApiError, ErrorCode, PROBLEM_CONTENT_TYPE } from "../errors.ts";
import { errorFields, log } from "../log.ts";
import { PREPARED_UPGRADE_HEADER as PREPARED } from "../prepared-upgrade.ts";
import type { DenoWebSocket } from "./deno-api.ts";
import { liveKey } from "./kv-object-state.ts";
import type { LiveUpgrades } from "./kv-objects.ts";
import type { LiveFeeds, Subscription } from "./live-feeds.ts";

/** Headers of the handshake and of the body's framing: the upgrade's own, never copied from the stand-in. */
const HANDSHAKE = new Set(["connection", "upgrade", "keep-alive", "content-length", "transfer-encoding"]);
/** A prepared upgrade the entry did not take within this time gives its slot back. */
const PREPARED_MS = 10_000;
const OPEN = 1;

export interface LiveHost {
  /** Runs the object's `webSocketMessage` for `message`; what it sent back. */
  reply(namespace: string, name: string, message: string | ArrayBuffer): Promise<string[]>;
}

export interface LiveOptions {
  /** Sockets (open and prepared) this process holds at most. */
  maxSockets: number;
  /** `Deno.upgradeWebSocket`. */
  upgrade(request: Request): { socket: DenoWebSocket; response: Response };
  /** How long a prepared upgrade waits for the entry to take it (10 s). */
  preparedMs?: number;
}

interface Prepared {
  namespace: string;
  name: string;
  greeting: string | undefined;
  subscription: Subscription;
  timer: ReturnType<typeof setTimeout>;
}

export class LiveSockets implements LiveUpgrades {
  private readonly prepared = new Map<string, Prepared>();
  /** Slots taken: prepared upgrades and open sockets. */
  private held = 0;

  constructor(
    private readonly host: LiveHost,
    private readonly feeds: LiveFeeds,
    private readonly options: LiveOptions,
  ) {}

  /** Open and prepared sockets of this process. */
  get sockets(): number {
    return this.held;
  }

  async prepare(namespace: string, name: string, request: Request): Promise<Response> {
    checkHandshake(request);
    if (this.held >= this.options.maxSockets)
      throw new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "This server holds as many live views as it may; try again shortly", {
        headers: { "retry-after": "5" },
      });
    this.held++;
    let subscription: Subscription | null = null;
    try {
      subscription = await this.feeds.subscribe(liveKey(namespace, name));
      const [greeting] = await this.host.reply(namespace, name, "");
      const token = crypto.randomUUID();
      const timer = setTimeout(() => this.drop(token), this.options.preparedMs ?? PREPARED_MS);
      this.prepared.set(token, { namespace, name, greeting, subscription, timer });
      return new Response(null, { status: 200, headers: { [PREPARED]: token } });
    } catch (err) {
      subscription?.close();
      this.held--;
      throw err;
    }
  }

  /**
   * The entry's last step: a stand-in for an upgrade prepared here becomes Deno's 101, with the gateway's headers
   * the stand-in carries (a refusal at this step carries them too); any other response passes.
   */
  accept(request: Request, response: Response): Response {
    const token = response.headers.get(PREPARED);
    if (token === null) return response;
    const prepared = this.prepared.get(token);
    if (!prepared) {
      log.warn("live_socket.upgrade_expired", { path: new URL(request.url).pathname });
      return withGatewayHeaders(unavailable(request, "The live view was not opened in time; connect again"), response);
    }
    this.prepared.delete(token);
    clearTimeout(prepared.timer);
    let upgraded: { socket: DenoWebSocket; response: Response };
    try {
      upgraded = this.options.upgrade(request);
    } catch (err) {
      this.release(prepared);
      log.warn("live_socket.upgrade_failed", errorFields(err));
      return withGatewayHeaders(unavailable(request, "The live view could not be opened; connect again"), response);
    }
    this.wire(upgraded.socket, prepared);
    // Deno's upgrade response has mutable headers and sends them with the 101 (it cannot be rebuilt: no Response has status 101).
    return withGatewayHeaders(upgraded.response, response);
  }

  private wire(socket: DenoWebSocket, prepared: Prepared): void {
    const { namespace, name } = prepared;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.release(prepared);
    };
    const send = (text: string) => {
      if (socket.readyState === OPEN) socket.send(text);
    };
    socket.binaryType = "arraybuffer";
    socket.addEventListener("open", () => {
      if (prepared.greeting !== undefined) send(prepared.greeting);
      prepared.subscription.start(send);
    });
    socket.addEventListener("message", (event) => {
      this.host.reply(namespace, name, event.data as string | ArrayBuffer).then(
        (texts) => texts.forEach(send),
        (err) => {
          log.warn("live_socket.reply_failed", { namespace, ...errorFields(err) });
          if (socket.readyState === OPEN) socket.close(1011, "the live view failed");
        },
      );
    });
    socket.addEventListener("close", release);
    socket.addEventListener("error", release);
  }

  private release(prepared: Prepared): void {
    prepared.subscription.close();
    this.held--;
  }

  private drop(token: string): void {
    const prepared = this.prepared.get(token);
    if (!prepared) return;
    this.prepared.delete(token);
    this.release(prepared);
  }
}

/** What Deno's handshake needs beyond `upgrade: websocket` (which the route checks): a 422 naming the header otherwise. */
function checkHandshake(request: Request): void {
  const errors: { field: string; message: string }[] = [];
  const connection = request.headers.get("connection") ?? "";
  if (!connection.split(",").some((t) => t.trim().toLowerCase() === "upgrade"))
    errors.push({ field: "header.connection", message: "must include Upgrade" });
  if (!request.headers.get("sec-websocket-key")) errors.push({ field: "header.sec-websocket-key", message: "is required" });
  if (errors.length > 0) throw new ApiError(ErrorCode.VALIDATION_FAILED, "This is not a WebSocket handshake", { errors });
}

/**
 * `answer` with the headers the gateway put on the stand-in, except the stand-in's marker, the handshake's and
 * those `answer` sets itself (its content type, its Retry-After).
 */
function withGatewayHeaders(answer: Response, standIn: Response): Response {
  const own = new Set(answer.headers.keys());
  for (const [name, value] of standIn.headers) {
    if (name === PREPARED || HANDSHAKE.has(name) || name.startsWith("sec-websocket-") || own.has(name)) continue;
    answer.headers.append(name, value);
  }
  return answer;
}

function unavailable(request: Request, detail: string): Response {
  const problem = new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, detail).toProblem(new URL(request.url).pathname, "");
  return new Response(JSON.stringify(problem), {
    status: 503,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "retry-after": "5" },
  });
}
