/** The JobLease object (one per job name): the scheduler's guard against overlapping runs. */
export { JobLease } from "./job-lease.ts";
