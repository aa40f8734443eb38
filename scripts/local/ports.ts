import { readFileSync } from "node:fs";
import net from "node:net";

/**
 * Ports handed out by this process, so two calls in a row never return the same one (the first may not be bound
 * yet when the second asks).
 */
const handedOut = new Set<number>();

/**
 * Asks for a port that is free right now on the loopback interface, chosen below the kernel's ephemeral range.
 * A port from the ephemeral range (what `listen(0)` returns) can be taken by any outgoing connection before the
 * server meant for it binds, which is how a run once found its relay's port "already in use"; the kernel never
 * picks a port below that range for an outgoing connection.
 */
export async function freePort(): Promise<number> {
  const [low, high] = portRange();
  for (let attempt = 0; attempt < 64; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await canBind(port)) {
      handedOut.add(port);
      return port;
    }
  }
  // Everything tried was busy: fall back to a port of the kernel's choosing.
  const port = await kernelPort();
  handedOut.add(port);
  return port;
}

/** [low, high): from 20,000 up to the start of the kernel's ephemeral range (32,768 by default on Linux). */
function portRange(): [number, number] {
  let ephemeralLow = 32_768;
  try {
    const first = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > 21_000) ephemeralLow = first;
  } catch {
    // Not Linux (or no /proc): keep the default.
  }
  return [20_000, ephemeralLow];
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves when `port` can be bound; otherwise rejects with a message a person can act on. */
export function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", (err: NodeJS.ErrnoException) => {
      const reason = err.code === "EADDRINUSE" ? "is already in use" : `cannot be bound (${err.code})`;
      reject(new UserFacingError(`Port ${port} for ${what} ${reason}. Stop whatever holds it, or set ${envVar} to another port.`));
    });
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
  });
}

/** An error whose message is shown to the user as is, without a stack trace. */
export class UserFacingError extends Error {}
