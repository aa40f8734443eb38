/**
 * Identity: accounts, profiles and addresses (/api/users); sign-in, tokens,
 * sessions, MFA and SSO (/api/auth).
 */
import * as authEvents from "../../queues/contracts/events/auth.ts";
import * as userEvents from "../../queues/contracts/events/user.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { defineFamily } from "../platform/family.ts";
import { authRoutes } from "./auth-routes.ts";
import { identityConfig } from "./config.ts";
import { IdentityErrors } from "./errors.ts";
import { authPrune } from "./prune-job.ts";
import { resolveAccessToken } from "./resolver.ts";
import { usersRoutes } from "./users-routes.ts";

export const identity = defineFamily({
  name: "identity",
  schemas: ["users", "auth"],
  config: identityConfig,
  routes: { "/api/users": usersRoutes, "/api/auth": authRoutes },
  jobs: [authPrune],
  contracts: [...contractsIn(userEvents), ...contractsIn(authEvents)],
  errors: IdentityErrors,
  tokenResolver: resolveAccessToken,
});

// The family's Durable Object class, exported by the Worker.
export { LoginThrottle } from "../../durable-objects/login-throttle/index.ts";
// What other families read of accounts (notifications, reviews), and the hash the local seed writes.
export { findNotificationContact, listNotificationContactsByRole, type NotificationContact } from "./notification-contact.ts";
export { findReviewerFacts } from "./reviewer-facts.ts";
// The domain throttle (LoginThrottle objects), for other families' own limits (reservations).
// The client address bucketed as every limit counts it (IPv4 whole, IPv6 by its /64), for the gateway's rate limits.
export { clientAddress, holdAttempt } from "./throttle.ts";
// A restore of the database brings sessions back: what this isolate remembers of them is forgotten.
export { forgetEveryTokenStatus } from "./token-status.ts";
