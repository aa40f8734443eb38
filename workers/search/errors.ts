/** Error codes of the search family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const SearchErrors = defineErrors({
  SEARCH_RULE_EXISTS: { status: 409, title: "Search rule exists" },
});
