/** Reports: business reports as CSV, Excel and PDF files in R2, on demand and by schedule, cut to the requester's role. */
import { defineFamily } from "../platform/family.ts";
import { reportsConfig } from "./config.ts";
import { ReportErrors } from "./errors.ts";
import { reportRetentionJob } from "./retention-job.ts";
import { reportsRoutes } from "./routes.ts";
import { reportSchedulesJob } from "./schedule-job.ts";

export const reports = defineFamily({
  name: "reports",
  schemas: ["reports"],
  routes: { "/api/reports": reportsRoutes },
  config: reportsConfig,
  errors: ReportErrors,
  jobs: [reportSchedulesJob, reportRetentionJob],
});
