/** The few pieces of the Postgres wire protocol the relay's session pool writes and reads itself. */

/** A message: its type byte, its length (which counts itself), its body. */
export const msg = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
export const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
export const cstr = (s: string) => Buffer.from(`${s}\0`, "utf8");

/** The key-value pairs of a start-up message's body (after its length and protocol version). */
export function startupParams(body: Buffer): Record<string, string> {
  const parts = body.toString("utf8").split("\0");
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) out[parts[i]!] = parts[i + 1]!;
  return out;
}
