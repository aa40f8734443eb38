import net from "node:net";

/** Asks the OS for a port that is free right now on the loopback interface. */
export function freePort(): Promise<number> {
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
