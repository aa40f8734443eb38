/**
 * Who may see and act on a review. Approved reviews are public; the author
 * and moderators (support, admin) also see the others. A caller who may not
 * see a review gets 404 for it, so unpublished reviews' ids are never
 * confirmed; one who sees it but may not act on it gets 403.
 */

import { hasRole } from "../platform/auth.ts";
import type { Principal, Role } from "../platform/context.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { ReviewErrors } from "./errors.ts";

export const MODERATOR_ROLES: readonly Role[] = ["support", "admin"];

export interface Owned {
  userId: string;
  status: string;
}

export const isModerator = (p: Principal | null): boolean => hasRole(p, ...MODERATOR_ROLES);
export const isAdmin = (p: Principal | null): boolean => hasRole(p, "admin");
/** Only a user token is the author: a service token never acts as a customer. */
export const isAuthor = (p: Principal | null, review: Owned): boolean => p?.kind === "user" && p.id === review.userId;
export const canSee = (p: Principal | null, review: Owned): boolean =>
  review.status === "approved" || isAuthor(p, review) || isModerator(p);

export function assertVisible<T extends Owned>(p: Principal | null, review: T | undefined): T {
  if (!review || !canSee(p, review)) throw notFound("review");
  return review;
}

/** The author, or the roles in `also`; others get 403 if they can see the review and 404 if not. */
export function assertAuthor<T extends Owned>(
  p: Principal | null,
  review: T | undefined,
  also: (p: Principal | null) => boolean = () => false,
): T {
  const visible = assertVisible(p, review);
  if (isAuthor(p, visible) || also(p)) return visible;
  throw new ApiError(ReviewErrors.NOT_REVIEW_AUTHOR, "Only the author can change this review");
}

/** Votes and reports are about other people's published reviews. */
export function assertOthersPublished<T extends Owned>(p: Principal | null, review: T | undefined): T {
  const visible = assertVisible(p, review);
  if (isAuthor(p, visible)) throw new ApiError(ReviewErrors.OWN_REVIEW, "This is your own review");
  if (visible.status !== "approved") throw new ApiError(ReviewErrors.REVIEW_NOT_PUBLISHED, "The review is not published");
  return visible;
}
