/** Error codes of the reviews family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const ReviewErrors = defineErrors({
  NOT_REVIEW_AUTHOR: { status: 403, title: "Not review author" },
  OWN_REVIEW: { status: 403, title: "Own review" },
  REVIEW_NOT_PUBLISHED: { status: 409, title: "Review not published" },
  REVIEW_EXISTS: { status: 409, title: "Review exists" },
  ALREADY_REPORTED: { status: 409, title: "Already reported" },
});
