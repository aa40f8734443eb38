/**
 * Scheduler: every family's jobs behind cron triggers, with a run log and
 * no overlap (a JobLease object per job); the event backbone's own jobs
 * (outbox sweep and archive, processed-event pruning); admins list runs and
 * start jobs by name.
 */
import * as maintenanceEvents from "../../queues/contracts/events/maintenance.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { defineFamily } from "../platform/family.ts";
import { outboxArchive } from "./jobs/outbox-archive.ts";
import { outboxSweep } from "./jobs/outbox-sweep.ts";
import { processedEventsPrune } from "./jobs/processed-events-prune.ts";
import { schedulerRoutes } from "./routes.ts";

export const scheduler = defineFamily({
  name: "scheduler",
  schemas: ["scheduler"],
  routes: { "/api/scheduler": schedulerRoutes },
  jobs: [outboxSweep, outboxArchive, processedEventsPrune],
  contracts: contractsIn(maintenanceEvents),
});

export { JobLease } from "../../durable-objects/job-lease/index.ts";
export { runJob } from "./runner.ts";
export { handleScheduled } from "./scheduled.ts";
