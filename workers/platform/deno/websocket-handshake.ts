/** A WebSocket handshake by hand, for the live views' Deno tests: the answer's status and headers, which a WebSocket client does not show. */

/** `Deno.connect`, typed here as deno-api.ts types the rest. */
type Connect = (options: { hostname: string; port: number }) => Promise<{
  write(bytes: Uint8Array): Promise<number>;
  read(buffer: Uint8Array): Promise<number | null>;
  close(): void;
}>;

/** A WebSocket handshake by hand, with `headers` a browser could not send: the answer's status and headers; then the connection closes. */
export async function handshake(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Headers }> {
  const { hostname, port, pathname } = new URL(url);
  const connect = (globalThis as unknown as { Deno: { connect: Connect } }).Deno.connect;
  const conn = await connect({ hostname, port: Number(port) });
  const request = [
    `GET ${pathname} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    "upgrade: websocket",
    "connection: Upgrade",
    // RFC 6455's sample key: its accept value is known.
    "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==",
    "sec-websocket-version: 13",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  await conn.write(new TextEncoder().encode(`${request.join("\r\n")}\r\n\r\n`));
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(16_384);
  let text = "";
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += decoder.decode(buffer.subarray(0, n), { stream: true });
  }
  conn.close();
  const [statusLine = "", ...lines] = text.slice(0, text.indexOf("\r\n\r\n")).split("\r\n");
  const answered = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    answered.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(" ")[1]), headers: answered };
}
