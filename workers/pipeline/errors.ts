/** Error codes of the pipeline family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const PipelineErrors = defineErrors({
  DEAD_LETTER_ALREADY_REPLAYED: { status: 409, title: "Dead letter already replayed" },
  QUARANTINE_ALREADY_REPLAYED: { status: 409, title: "Quarantine already replayed" },
  EVENT_STILL_INVALID: { status: 409, title: "Event still invalid" },
});
