/**
 * The two links of an email change (email-change.ts): the confirmation the
 * new address receives, and the revert the old address receives. Both are
 * single-use tokens; neither needs a session, since the mail is the proof.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { AppEnv } from "../platform/context.ts";
import { ApiError } from "../platform/errors.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { EmailChangeResultSchema, EmailChangeTokenBody } from "./auth-schemas.ts";
import { confirmEmailChange, revertEmailChange } from "./email-change.ts";
import { IdentityErrors } from "./errors.ts";
import { authProblems, scopeFor } from "./http.ts";
import { clientAddress, holdAttempt } from "./throttle.ts";

const tags = ["Auth"];
const invalidToken = () => new ApiError(IdentityErrors.INVALID_TOKEN, "The token is not valid, has expired or was already used");
const body = { body: { required: true, content: { "application/json": { schema: EmailChangeTokenBody } } } };
const responses = {
  200: jsonContent(EmailChangeResultSchema, "The account's address now"),
  400: authProblems[400],
  ...pick(409, 422),
  429: authProblems[429],
};

const confirmRoute = createRoute({
  method: "post",
  path: "/email-change/confirm",
  tags,
  summary: "Confirm a new email address with the link mailed to it; the old address is sent a notice with a way back",
  request: body,
  responses,
});

const revertRoute = createRoute({
  method: "post",
  path: "/email-change/revert",
  tags,
  summary: "Undo an email change with the link mailed to the previous address; every session of the account ends",
  request: body,
  responses,
});

export const emailChangeRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
emailChangeRoutes
  .openapi(confirmRoute, async (c) => {
    // Guessing tokens is throttled per client address, like resets: only failures count.
    const hold = await holdAttempt(c.env, [`email-change:address:${clientAddress(c)}`]);
    const scope = scopeFor(c);
    const done = await transactionWithEvents(
      scope.db,
      (tx, events) => confirmEmailChange(tx, events, scope, c.req.valid("json").token),
      scope.afterCommit,
    );
    if (!done) throw invalidToken();
    await hold.succeeded();
    return c.json({ ...done, sessionsEnded: 0 }, 200);
  })
  .openapi(revertRoute, async (c) => {
    const hold = await holdAttempt(c.env, [`email-change:address:${clientAddress(c)}`]);
    const scope = scopeFor(c);
    const done = await transactionWithEvents(
      scope.db,
      (tx, events) => revertEmailChange(tx, events, scope, c.req.valid("json").token),
      scope.afterCommit,
    );
    if (!done) throw invalidToken();
    await hold.succeeded();
    return c.json(done, 200);
  });
