/**
 * What the pipeline asks of the families that turn events into facts. A
 * fact loader names the contract (type and version) it reads and, for one
 * validated and scrubbed event of it, returns the CTEs the pipeline adds to
 * the event's one statement (statement.ts). The composition root hands the
 * loaders to `pipelineFamily`; the pipeline knows no family that loads facts.
 * An event whose contract has no loader only counts in the statistics.
 */
import type { z } from "zod";
import type { EventContract } from "../platform/event-contracts.ts";
import type { ScrubbedEvent } from "./pii-scrub.ts";
import type { Cte } from "./statement.ts";

export interface FactLoader {
  readonly contract: EventContract;
  load(event: ScrubbedEvent): Cte[];
}

/**
 * A loader of `contract`'s events, typed by its payload schema. The pipeline
 * runs it only for an event it validated against this very contract and then
 * scrubbed; scrubbing replaces strings by strings (pseudonyms, masked text)
 * and removes the fields the PII rules drop, so every field a loader reads
 * (one the rules keep) has the contract's type.
 */
export function factLoader<T extends string, S extends z.ZodType>(
  contract: EventContract<T, S>,
  load: (event: ScrubbedEvent<z.output<S>>) => Cte[],
): FactLoader {
  return { contract, load: (event) => load(event as ScrubbedEvent<z.output<S>>) };
}

const keyOf = (c: { type: string; version: number }) => `${c.type}@${c.version}`;

/** The loaders of each contract, in the order given (their CTEs join the statement in that order). */
export function factLoadersByContract(loaders: readonly FactLoader[]): (contract: EventContract) => readonly FactLoader[] {
  const byKey = new Map<string, FactLoader[]>();
  for (const loader of loaders) {
    const key = keyOf(loader.contract);
    byKey.set(key, [...(byKey.get(key) ?? []), loader]);
  }
  return (contract) => byKey.get(keyOf(contract)) ?? [];
}
