/** Health: liveness and dependency checks at /api/health. */
import { defineFamily } from "../platform/family.ts";
import { healthRoutes } from "./routes.ts";

export const health = defineFamily({
  name: "health",
  routes: { "/api/health": healthRoutes },
});
