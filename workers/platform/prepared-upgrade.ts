/**
 * A WebSocket upgrade made after the gateway. On Deno only the request the
 * server handed over can be upgraded, and a `Response` there cannot have
 * status 101, so a live view's route answers with a stand-in (status 200,
 * this header naming the prepared upgrade) that the entry swaps for Deno's
 * own 101 once the gateway has put its headers on it. The gateway logs and
 * counts the stand-in as the 101 the client is answered, as on workerd,
 * where the route's response is the 101 itself.
 */

/** The stand-in's header naming a prepared upgrade; it never leaves the process. */
export const PREPARED_UPGRADE_HEADER = "x-live-upgrade";

/** The status the client is answered: 101 for a prepared upgrade's stand-in, the response's own otherwise. */
export function answeredStatus(response: Response): number {
  return response.headers.has(PREPARED_UPGRADE_HEADER) ? 101 : response.status;
}
