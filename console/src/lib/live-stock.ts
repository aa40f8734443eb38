/** The live stock of one SKU over its inventory object's WebSocket, reconnecting with backoff while the page is open. */
import { useEffect, useState } from "react";

export interface LiveLevel {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  status: string;
  version: number;
}

export type LiveState = { connected: boolean; level: LiveLevel | null };

export function liveUrl(location: Pick<Location, "protocol" | "host">, sku: string): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/inventory/${encodeURIComponent(sku)}/live`;
}

export function useLiveStock(sku: string | undefined): LiveState {
  const [state, setState] = useState<LiveState>({ connected: false, level: null });
  useEffect(() => {
    if (!sku) return;
    let socket: WebSocket | null = null;
    let closed = false;
    let delay = 500;
    const open = () => {
      socket = new WebSocket(liveUrl(window.location, sku));
      socket.onopen = () => {
        delay = 500;
        setState((s) => ({ ...s, connected: true }));
      };
      socket.onmessage = (e) => {
        const msg = JSON.parse(String(e.data)) as { type?: string; level?: LiveLevel };
        if (msg.type === "level" && msg.level) setState({ connected: true, level: msg.level });
      };
      socket.onclose = () => {
        setState((s) => ({ ...s, connected: false }));
        delay = Math.min(delay * 2, 10_000);
        if (!closed) setTimeout(open, delay);
      };
    };
    open();
    return () => {
      closed = true;
      socket?.close();
    };
  }, [sku]);
  return state;
}
