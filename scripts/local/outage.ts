/**
 * Database outage drills for the test run and the outage benchmark: the real
 * PostgreSQL server is killed (SIGKILL to the postmaster and every backend,
 * as an operator or the kernel's OOM killer would), frozen (SIGSTOP: it
 * accepts TCP connections and answers nothing, like a network partition), and
 * brought back on the same data folder.
 *
 * Tests run inside workerd and cannot signal a process, so in test mode the
 * relay serves these actions at `POST /outage/<action>` (see `handle`). The
 * relay listens on loopback only, and the stack enables the route for
 * `mode: "test"` only.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LocalPostgres } from "./postgres.ts";

export type OutageState = "up" | "down" | "frozen";
export type OutageAction = "kill" | "freeze" | "thaw" | "start";

export interface DatabaseOutage {
  state(): OutageState;
  kill(): Promise<void>;
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Starts a killed server again (or thaws a frozen one) and waits until it accepts connections. */
  start(): Promise<void>;
  /** The relay's route: `POST /outage/<action>` answers `{ state }`. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** The process and all its descendants (Linux /proc), the postmaster first. */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      const children = readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, "utf8").trim();
      if (children) out.push(...children.split(/\s+/).map(Number));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export function databaseOutage(pg: LocalPostgres): DatabaseOutage {
  let state: OutageState = "up";
  let frozen: number[] = [];

  const outage: DatabaseOutage = {
    state: () => state,
    async kill() {
      if (state === "down") return;
      const pid = pg.pid();
      if (pid === undefined) throw new Error("PostgreSQL is not running");
      const tree = processTree(pid);
      // A frozen server is killed too: SIGKILL works on stopped processes.
      signal(tree, "SIGKILL");
      const until = Date.now() + 10_000;
      while (tree.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      frozen = [];
      state = "down";
    },
    async freeze() {
      if (state !== "up") return;
      const pid = pg.pid();
      if (pid === undefined) throw new Error("PostgreSQL is not running");
      frozen = processTree(pid);
      signal(frozen, "SIGSTOP");
      state = "frozen";
    },
    async thaw() {
      if (state !== "frozen") return;
      signal(frozen, "SIGCONT");
      frozen = [];
      state = "up";
    },
    async start() {
      if (state === "frozen") return outage.thaw();
      if (state === "up") return;
      await pg.restart();
      state = "up";
    },
    handle(req, res) {
      const action = req.url?.split("?")[0]?.replace(/^\/outage\//, "") as OutageAction;
      const run = { kill: outage.kill, freeze: outage.freeze, thaw: outage.thaw, start: outage.start }[action];
      if (req.method !== "POST" || !run) {
        res.writeHead(404, { "content-type": "text/plain" }).end("unknown outage action\n");
        return;
      }
      run()
        .then(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ state })))
        .catch((err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${String(err)}\n`));
    },
  };
  return outage;
}
