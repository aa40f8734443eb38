/**
 * The configuration check at start: before the first request of an isolate
 * is served, every family's settings (and the platform's) are parsed; if any
 * is missing or malformed, every request answers 503 CONFIGURATION_INVALID
 * and one error line names each broken setting (`config.invalid`), instead
 * of the deployment half-working until some route happens to read the bad
 * setting. The answer itself names no setting: that is for the operator.
 */
import { createMiddleware } from "hono/factory";
import { type ConfigSection, checkConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { log } from "./log.ts";
import { configurationInvalid, problemResponse } from "./problem-response.ts";

/** Problems found per vars object (one per isolate and deployment), so the check runs once. */
const checked = new WeakMap<object, string[]>();

export function configProblems(sections: readonly ConfigSection[], vars: object): string[] {
  let problems = checked.get(vars);
  if (problems === undefined) {
    problems = checkConfig(sections, { vars: vars as Record<string, unknown> });
    checked.set(vars, problems);
    if (problems.length > 0) log.error("config.invalid", { problems });
  }
  return problems;
}

export const configGate = (sections: readonly ConfigSection[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (configProblems(sections, c.env.vars).length === 0) return next();
    return problemResponse(c, configurationInvalid());
  });
