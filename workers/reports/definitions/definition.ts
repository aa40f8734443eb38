/**
 * A report definition: code, not data. Its id, what it shows, who may run it,
 * its parameters (a strict zod object, checked like every other input), the
 * span its default period covers, and how it builds the report's sections
 * from the analytics facts.
 */
import type { z } from "@hono/zod-openapi";
import type { Access } from "../../../db/schema/reports.ts";
import type { Queryable } from "../../platform/db.ts";
import type { Section } from "../formats/report-model.ts";
import type { Period, Span } from "./params.ts";

export type { Access };

export interface BuildContext {
  db: Queryable;
  now: Date;
}

export interface Built {
  currency: string | null;
  sections: Section[];
}

export interface ReportDefinition {
  id: string;
  title: string;
  description: string;
  /** The access levels that may run it (admins always may). */
  access: readonly Access[];
  span: Span;
  params: z.ZodObject;
  build(params: Record<string, unknown>, period: Period, ctx: BuildContext): Promise<Built>;
}

export function defineReport<S extends z.ZodObject>(d: {
  id: string;
  title: string;
  description: string;
  access: readonly Access[];
  span: Span;
  params: S;
  build(params: z.output<S>, period: Period, ctx: BuildContext): Promise<Built>;
}): ReportDefinition {
  return d as unknown as ReportDefinition;
}
