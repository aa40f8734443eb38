export { JobLease } from "./job-lease/job-lease.ts";
