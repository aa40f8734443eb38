/**
 * The users routes (/api/users): registration, profiles and deletion. A user
 * reads and changes only their own record; support and admin read others,
 * admin changes them and alone changes roles.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppContext, type AppEnv, dbOf, ROLES } from "../platform/context.ts";
import { notFound } from "../platform/errors.ts";
import { requireSelfOrRole, requireUser } from "../platform/guards.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { loadUserView } from "./accounts.ts";
import { addressRoutes } from "./address-routes.ts";
import { authProblems, security } from "./http.ts";
import { seedLoginRoutes } from "./seed-login-route.ts";
import { deleteUser, listUsers, registerUser, updateUser } from "./service.ts";
import { clientAddress, holdAttempt, MAILS_PER_TARGET, requestsPerAddress } from "./throttle.ts";
import { RegisterBody, UpdateUserBody, UserId, UserSchema } from "./user-schemas.ts";

const tags = ["Users"];
const UserSummarySchema = UserSchema.omit({ addresses: true, defaultShippingAddressId: true }).openapi("UserSummary");
const IdParam = z.object({ id: UserId });

const registerRoute = createRoute({
  method: "post",
  path: "/register",
  tags,
  summary: "Create an account; a verification mail is requested",
  request: { body: { required: true, content: { "application/json": { schema: RegisterBody } } } },
  responses: { 201: jsonContent(UserSchema, "The new account"), ...pick(409, 422), 429: authProblems[429] },
});

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags,
  summary: "The signed-in user's own account",
  security,
  middleware: [requireUser],
  responses: { 200: jsonContent(UserSchema, "The account"), ...pick(401, 403, 404) },
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Accounts, newest first (support and admin)",
  security,
  middleware: [requireRole("support", "admin")],
  request: {
    query: z.object({ limit: LimitQuery, cursor: cursorParam, role: z.enum(ROLES).optional(), email: z.email().optional() }),
  },
  responses: {
    200: jsonContent(pageOf("UserSummaryPage", UserSummarySchema), "A page of accounts"),
    ...pick(401, 403, 422),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One account (the owner, support or admin)",
  security,
  middleware: [requireSelfOrRole("id", { roles: ["support", "admin"], what: "user" })],
  request: { params: IdParam },
  responses: { 200: jsonContent(UserSchema, "The account"), ...pick(401, 404, 422) },
});

const updateRoute = createRoute({
  method: "put",
  path: "/{id}",
  tags,
  summary: "Change profile fields (the owner or admin); `role` is for admins only",
  security,
  middleware: [requireSelfOrRole("id", { roles: ["admin"], visibleTo: ["support"], what: "user" })],
  request: { params: IdParam, body: { required: true, content: { "application/json": { schema: UpdateUserBody } } } },
  responses: { 200: jsonContent(UserSchema, "The changed account"), ...pick(401, 403, 404, 409, 422) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete an account: personal data is erased and every session revoked (the owner or admin)",
  security,
  middleware: [requireSelfOrRole("id", { roles: ["admin"], visibleTo: ["support"], what: "user" })],
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...pick(401, 403, 404, 422) },
});

async function viewOr404(c: AppContext, id: string) {
  const view = await loadUserView(dbOf(c), id);
  if (!view) throw notFound("user");
  return view;
}

export const usersRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
usersRoutes
  .openapi(registerRoute, async (c) => {
    const body = c.req.valid("json");
    // Every sign-up counts, per client address and per address signed up (each may mail it).
    await holdAttempt(c.env, [
      { key: `signup:address:${clientAddress(c)}`, policy: requestsPerAddress(c.env) },
      { key: `signup:target:${body.email.trim().toLowerCase()}`, policy: MAILS_PER_TARGET },
    ]);
    const user = await registerUser(scopeOf(c), body);
    return c.json(user, 201, { location: `/api/users/${user.id}` });
  })
  .openapi(meRoute, async (c) => c.json(await viewOr404(c, c.get("principal")!.id), 200))
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listUsers(dbOf(c), q);
    return c.json(
      { items: page.items.map(({ addresses: _a, defaultShippingAddressId: _d, ...rest }) => rest), nextCursor: page.nextCursor },
      200,
    );
  })
  .openapi(getRoute, async (c) => c.json(await viewOr404(c, c.req.valid("param").id), 200))
  .openapi(updateRoute, async (c) =>
    c.json(await updateUser(scopeOf(c), c.get("principal")!, c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(deleteRoute, async (c) => {
    await deleteUser(scopeOf(c), c.get("principal")!, c.req.valid("param").id);
    return c.body(null, 204);
  });
usersRoutes.route("/", addressRoutes);
usersRoutes.route("/", seedLoginRoutes);
