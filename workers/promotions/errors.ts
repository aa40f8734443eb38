/** Error codes of the promotions family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const PromotionErrors = defineErrors({
  /** Unknown, not yet or no longer valid, below its minimum, or nothing in the order is eligible. */
  PROMOTION_NOT_APPLICABLE: { status: 422, title: "Promotion code not applicable" },
  /** The last use went to another order. */
  PROMOTION_EXHAUSTED: { status: 409, title: "Promotion code used up" },
  PROMOTION_CUSTOMER_LIMIT: { status: 409, title: "Promotion code limit per customer reached" },
  PROMOTION_CODE_TAKEN: { status: 409, title: "Promotion code exists" },
  /** The code changed since the version named in If-Match. */
  PROMOTION_VERSION_CONFLICT: { status: 409, title: "Promotion code changed" },
  /** A usage limit below the uses already taken. */
  PROMOTION_LIMIT_BELOW_USES: { status: 409, title: "Promotion code limit below its uses" },
});
