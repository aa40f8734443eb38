/** What every browser flow shares: the stack's address, a fresh browser page, and signing in through the form. */

import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import { type Launched, launch } from "./browser.ts";

export const base = () => inject("baseUrl");
export const opsToken = () => inject("opsToken");

/** One browser for the file, closed after it. */
export function sharedBrowser(): () => Launched {
  let launched: Launched | undefined;
  beforeAll(async () => {
    launched = await launch();
  });
  afterAll(async () => {
    await launched?.close();
  });
  return () => launched!;
}

/** A new page that records every URL it loads, to prove nothing comes from outside the origin. */
export async function newPage(browser: Launched): Promise<{ page: Page; requested: string[]; errors: string[] }> {
  // Each flow starts signed out: the profile's cookies (the refresh cookie of an earlier flow) are dropped.
  await browser.browser.clearCookies();
  const page = await browser.browser.newPage();
  // The stack shares two cores with everything else on the machine: be patient with a slow answer.
  page.setDefaultTimeout(60_000);
  const requested: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
  });
  return { page, requested, errors };
}

export async function signIn(page: Page, email: string, password: string, path = "/admin"): Promise<void> {
  if (!page.url().startsWith(base())) await page.goto(`${base()}${path}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The error text a form shows under an input (the element its aria-describedby names for the error). */
export async function fieldError(page: Page, input: Locator): Promise<string> {
  const ids = ((await input.getAttribute("aria-describedby")) ?? "").split(" ").filter((id) => id.endsWith("-error"));
  return ids.length ? ((await page.locator(`[id="${ids[0]}"]`).textContent()) ?? "") : "";
}
