/**
 * The composition root's list is consistent: names, mount paths, jobs, event
 * contracts, consumer groups, error codes and configuration sections fit
 * together, so a family added with a mistake fails here rather than at run time.
 */
import { describe, expect, it } from "vitest";
import { DB_FAMILIES } from "../db/families.ts";
import { CONSUMER_GROUPS } from "../queues/routing.ts";
import { testEnv } from "../test/helpers/db.ts";
import { FAMILIES } from "./families.ts";
import { type ConfigSection, checkConfig, platformConfig } from "./platform/config.ts";
import { listErrorCodes, registerErrors } from "./platform/errors.ts";
import { listContracts } from "./platform/event-contracts.ts";
import { jobRegistry } from "./platform/job.ts";

describe("the family list", () => {
  it("names each family once, after its folder, and mounts each path once under /api", () => {
    const names = FAMILIES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z-]*$/);
    const paths = FAMILIES.flatMap((f) => Object.keys(f.routes ?? {}));
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) expect(path).toMatch(/^\/api\/[a-z-]+$/);
  });

  it("gives every Postgres schema exactly one owner: a family, or the platform's own three", () => {
    // database: extensions; events: the outbox and processed events (queues/); ops: fault injection points.
    const owners = new Map<string, string[]>([
      ["database", ["platform"]],
      ["events", ["platform"]],
      ["ops", ["platform"]],
    ]);
    for (const family of FAMILIES)
      for (const schema of family.schemas ?? []) owners.set(schema, [...(owners.get(schema) ?? []), family.name]);
    expect([...owners.keys()].sort()).toEqual([...DB_FAMILIES].sort());
    for (const [schema, by] of owners) expect(by, schema).toHaveLength(1);
  });

  it("gives every job a unique name and at least one cron expression", () => {
    const jobs = FAMILIES.flatMap((f) => f.jobs ?? []);
    expect(() => jobRegistry(jobs)).not.toThrow();
    for (const job of jobs) expect(job.crons.length, job.name).toBeGreaterThan(0);
  });

  it("has exactly one producing family for every registered event contract", () => {
    const producers = new Map<string, string[]>();
    for (const family of FAMILIES) {
      for (const c of family.contracts ?? [])
        producers.set(`${c.type}@${c.version}`, [...(producers.get(`${c.type}@${c.version}`) ?? []), family.name]);
    }
    for (const contract of listContracts()) {
      const key = `${contract.type}@${contract.version}`;
      expect(producers.get(key), `${key} needs one producer`).toHaveLength(1);
    }
  });

  it("subscribes only to consumer groups the routing table declares", () => {
    const groups = new Set<string>(CONSUMER_GROUPS.map((g) => g.name));
    for (const family of FAMILIES)
      for (const group of Object.keys(family.handlers ?? {})) expect(groups.has(group), `${family.name} -> ${group}`).toBe(true);
  });

  it("declares every error code once across all catalogues", () => {
    for (const family of FAMILIES) if (family.errors) expect(() => registerErrors(family.name, family.errors!)).not.toThrow();
    const codes = listErrorCodes().map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const def of listErrorCodes()) {
      expect(def.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(def.status).toBeGreaterThanOrEqual(400);
      expect(def.title.length).toBeGreaterThan(0);
    }
  });

  it("reads a valid configuration for every section from the test Worker's settings", () => {
    const sections = [platformConfig, ...FAMILIES.flatMap((f) => (f.config ? [f.config as ConfigSection] : []))];
    expect(new Set(sections.map((s) => s.owner)).size).toBe(sections.length);
    // One owner per setting: two sections reading one var under different rules would disagree.
    const keys = sections.flatMap((s) => Object.keys(s.schema.shape));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect(checkConfig(sections, testEnv)).toEqual([]);
  });

  it("reports a malformed setting naming the section and the setting", () => {
    const broken = { vars: { ...testEnv.vars, MAX_BODY_BYTES: "many" } };
    expect(checkConfig([platformConfig], broken)).toEqual([expect.stringMatching(/platform.*MAX_BODY_BYTES/)]);
  });
});
