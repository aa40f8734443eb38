/**
 * The Postgres connections the relay's session pool lends for one database:
 * at most `size` open, idle ones reused, waiters served in turn, a broken
 * one replaced by a fresh connection.
 */
import type net from "node:net";
import type pg from "pg";
import { msg } from "./pg-wire.ts";

/** A connection whose bytes the pool reads and writes itself (the client library only opened it). */
export interface Backend {
  socket: net.Socket;
  client: pg.Client;
  onData: ((chunk: Buffer) => void) | null;
  broken: boolean;
}

export interface BackendPool {
  acquire(): Promise<Backend>;
  release(b: Backend, reusable: boolean): void;
  closeIdle(): void;
}

export function backendPool(url: string, size: number, open: (url: string) => Promise<Backend>): BackendPool {
  const idle: Backend[] = [];
  const waiting: ((b: Backend) => void)[] = [];
  let total = 0;
  const acquire = (): Promise<Backend> => {
    for (let b = idle.pop(); b; b = idle.pop()) {
      if (!b.broken) return Promise.resolve(b);
      total--;
    }
    if (total < size) {
      total++;
      return open(url).catch((err) => {
        total--;
        throw err;
      });
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (b: Backend, reusable: boolean): void => {
    b.onData = null;
    if (!reusable || b.broken) {
      b.socket.destroy();
      total--;
      // A waiter gets a fresh connection in place of the lost one.
      const next = waiting.shift();
      if (next) {
        total++;
        open(url)
          .then(next)
          .catch(() => {
            total--;
          });
      }
      return;
    }
    const next = waiting.shift();
    if (next) next(b);
    else idle.push(b);
  };
  // Each idle connection is told to terminate, so the server ends its session at once.
  const closeIdle = () => {
    for (const b of idle.splice(0)) b.socket.end(msg("X", Buffer.alloc(0)));
  };
  return { acquire, release, closeIdle };
}
