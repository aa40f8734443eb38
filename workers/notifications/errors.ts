/** Error codes of the notifications family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const NotificationErrors = defineErrors({
  INVALID_PUSH_SUBSCRIPTION: { status: 422, title: "Invalid push subscription" },
  UNSUPPORTED_PUSH_SERVICE: { status: 422, title: "Unsupported push service" },
  PUSH_ENDPOINT_TAKEN: { status: 409, title: "Push endpoint taken" },
});
