/** GET /api/slos: every declared SLO with its state and burn rates, for staff (admin, analyst) and the operations token. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { sloStates } from "../../db/schema/ops.ts";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import type { Queryable } from "../platform/db.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import type { GaugeSample } from "../platform/metrics.ts";
import { validationHook } from "../platform/problem-response.ts";
import { burnPolicy } from "./slo-job.ts";
import { SLOS } from "./slo-table.ts";

const SloSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    indicator: z.string().openapi({ description: "availability, latency, consumer_lag, consumer_delivery, job_success or backup_drill" }),
    routeClass: z.string().nullable(),
    objective: z.number(),
    status: z.enum(["met", "breached", "unknown"]).openapi({ description: "unknown until the evaluation job first ran" }),
    since: z.string().nullable(),
    longBurn: z.number().nullable(),
    shortBurn: z.number().nullable(),
    breaches: z.number().int(),
    alertPending: z.boolean().openapi({ description: "The last change's alert is not delivered yet (retried every run)" }),
    evaluatedAt: z.string().nullable(),
    degradesHealth: z.boolean(),
  })
  .openapi("Slo");

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["Operations"],
  summary: "The declared SLOs and their states (staff)",
  description:
    "Every SLO of the table (availability and latency per route class, consumer lag and delivery, job and restore-drill success) with its state from the `slo-evaluation` job: met or breached, since when, and the burn rates of the long and short windows. Roles admin and analyst, or the operations token.",
  security: [{ bearer: [] }],
  middleware: [requireRole("admin", "analyst")] as const,
  responses: {
    200: jsonContent(
      z.object({
        windows: z.object({ longSeconds: z.number(), shortSeconds: z.number(), burnRate: z.number() }),
        slos: z.array(SloSchema),
      }),
      "The SLOs",
    ),
    ...pick(401, 403),
  },
});

/** The SLOs whose breach degrades /api/health (consumer lag over budget, dead letters growing), breached now. */
export async function breachedHealthSlos(db: Queryable): Promise<string[]> {
  const states = await db.select({ slo: sloStates.slo, status: sloStates.status }).from(sloStates);
  const breached = new Set(states.filter((s) => s.status === "breached").map((s) => s.slo));
  return SLOS.filter((s) => s.degradesHealth && breached.has(s.name)).map((s) => s.name);
}

/** Each SLO's state as scrape-time gauges: breached now (0/1) and the burn rates of both windows. */
export async function sloGauges(db: Queryable): Promise<GaugeSample[]> {
  const states = new Map((await db.select().from(sloStates)).map((s) => [s.slo, s]));
  return SLOS.flatMap((slo) => {
    const s = states.get(slo.name);
    if (!s) return [];
    const labels = { slo: slo.name };
    const gauges: GaugeSample[] = [
      {
        name: "slo_breached",
        help: "1 while the SLO is breached (the slo-evaluation job's last verdict)",
        value: s.status === "breached" ? 1 : 0,
        labels,
      },
    ];
    for (const [window, burn] of [
      ["long", s.longBurn],
      ["short", s.shortBurn],
    ] as const)
      if (burn !== null)
        gauges.push({
          name: "slo_burn_rate",
          help: "The SLO's error-budget burn rate over the window (1: spent exactly over the period)",
          value: burn,
          labels: { ...labels, window },
        });
    return gauges;
  });
}

export const sloRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(list, async (c) => {
  const states = new Map((await dbOf(c).select().from(sloStates)).map((s) => [s.slo, s]));
  const policy = burnPolicy(c.env);
  c.header("cache-control", "no-store");
  return c.json(
    {
      windows: { longSeconds: policy.longWindowMs / 1000, shortSeconds: policy.shortWindowMs / 1000, burnRate: policy.burnRate },
      slos: SLOS.map((slo) => {
        const s = states.get(slo.name);
        return {
          name: slo.name,
          description: slo.description,
          indicator: slo.indicator.kind,
          routeClass: "routeClass" in slo.indicator ? slo.indicator.routeClass : null,
          objective: slo.objective,
          status: s?.status ?? ("unknown" as const),
          since: s?.since.toISOString() ?? null,
          longBurn: s?.longBurn ?? null,
          shortBurn: s?.shortBurn ?? null,
          breaches: s?.breaches ?? 0,
          alertPending: Boolean(s?.pendingAlert),
          evaluatedAt: s?.evaluatedAt.toISOString() ?? null,
          degradesHealth: slo.degradesHealth,
        };
      }),
    },
    200,
  );
});
