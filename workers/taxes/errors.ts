/** Error codes of the taxes family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const TaxErrors = defineErrors({
  TAX_REGION_NOT_FOUND: { status: 404, title: "Tax region not found" },
});
