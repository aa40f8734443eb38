/**
 * The live view of a SKU over hibernatable WebSockets: the object sends a
 * `level` message when a client connects, after every change, and whenever
 * the client sends anything. Hibernation lets the object sleep between
 * changes without dropping the sockets.
 */
export interface LiveMessage {
  type: "level";
  level: unknown;
}

export function acceptLive(ctx: DurableObjectState, first: LiveMessage): Response {
  const pair = new WebSocketPair();
  ctx.acceptWebSocket(pair[1]);
  pair[1].send(JSON.stringify(first));
  return new Response(null, { status: 101, webSocket: pair[0] });
}

export function broadcast(ctx: DurableObjectState, message: () => LiveMessage): void {
  const sockets = ctx.getWebSockets();
  if (sockets.length === 0) return;
  const text = JSON.stringify(message());
  for (const ws of sockets) {
    try {
      ws.send(text);
    } catch {
      // A socket closing while we send is not our failure.
    }
  }
}
