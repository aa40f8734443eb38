/**
 * POST /api/users/login: the original system's path for signing in, kept for
 * its clients beside POST /api/auth/login. It is the same operation (same
 * body, same answers, same handler, same throttling), declared once more
 * under /api/users so that the document lists it with its own operationId.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/context.ts";
import { validationHook } from "../platform/problem-response.ts";
import { authRoutes, loginRoute } from "./auth-routes.ts";

/** The handler POST /api/auth/login registered: the last handler Hono holds for that method and path. */
const signIn = authRoutes.routes.filter((r) => r.method === "POST" && r.path === "/login").at(-1)?.handler;
if (!signIn) throw new Error("POST /login is not registered on the auth routes");

export const seedLoginRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
seedLoginRoutes.openapi(
  { ...loginRoute, operationId: "postUsersLogin", summary: `${loginRoute.summary} (the original path; same as POST /api/auth/login)` },
  // The same function object: its typing is the auth route's, which this route repeats.
  signIn as Parameters<typeof seedLoginRoutes.openapi<typeof loginRoute>>[1],
);
