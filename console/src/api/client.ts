/**
 * The API client, typed from the OpenAPI document (schema.d.ts is generated
 * by `npm run console:types`): a route or schema change that breaks a page
 * breaks `npm run typecheck`. Every call carries the in-memory access token;
 * a 401 triggers one cookie refresh and one retry.
 */
import createClient, { type Middleware } from "openapi-fetch";
import { ProblemError, toProblem } from "../lib/problem.ts";
import type { paths } from "./schema";
import { refreshSession, session } from "./session.ts";

/** A copy of each request as sent, so a call refused for an expired token can be sent again (its body is already read). */
const copies = new WeakMap<Request, Request>();

const auth: Middleware = {
  onRequest({ request }) {
    const s = session();
    if (s) request.headers.set("authorization", `Bearer ${s.accessToken}`);
    copies.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || !session()) return response;
    const next = await refreshSession();
    if (!next) return response;
    const again = copies.get(request) ?? request;
    again.headers.set("authorization", `Bearer ${next.accessToken}`);
    return fetch(again);
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(auth);

/** The data of a call, or a ProblemError (for TanStack Query's error state). */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ProblemError(toProblem(response.status, error, response.headers.get("x-request-id")));
  return data as T;
}
