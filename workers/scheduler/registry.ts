/** Every job the scheduler knows. Families add their jobs here. */
import type { Job } from "../platform/job.ts";
import { auditRetention, auditVerify } from "../audit/jobs.ts";
import { authPrune } from "../auth/prune-job.ts";
import { inventoryBootstrap } from "../inventory/bootstrap.ts";
import { catalogCachePrune } from "../products/jobs.ts";
import { outboxArchive } from "./jobs/outbox-archive.ts";
import { outboxSweep } from "./jobs/outbox-sweep.ts";
import { processedEventsPrune } from "./jobs/processed-events-prune.ts";
import { searchQueryLogPrune } from "../search/query-log.ts";
import { searchReindex } from "../search/reindex.ts";
import { notificationsPrune } from "../notifications/prune-job.ts";
import { pipelineStatsPrune } from "../pipeline/jobs.ts";
import { analyticsProductSync } from "../analytics/product-sync.ts";
import { deliveryReturnsResume } from "../delivery/jobs.ts";
import { ordersRecovery } from "../orders/recovery-job.ts";

export const JOBS: readonly Job[] = [outboxSweep, outboxArchive, processedEventsPrune, auditVerify, auditRetention, inventoryBootstrap, searchReindex, searchQueryLogPrune, catalogCachePrune, authPrune, notificationsPrune, ordersRecovery, deliveryReturnsResume, pipelineStatsPrune, analyticsProductSync];

export function findJob(name: string): Job | undefined {
  return JOBS.find((j) => j.name === name);
}

export function jobsForCron(cron: string): Job[] {
  return JOBS.filter((j) => j.crons.includes(cron));
}
