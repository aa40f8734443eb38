/**
 * What caches may keep of an API answer. A route that may be cached says so
 * with its own Cache-Control (the catalogue, the public keys); every other
 * answer, and with it everything that carries a token or personal data
 * (sign-in, accounts, addresses, orders, carts, payments, errors), gets
 * `no-store`, so no browser, proxy or CDN keeps a copy. One rule for every
 * family, instead of a header each sensitive route must remember.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context.ts";

export const noStoreByDefault = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
});
