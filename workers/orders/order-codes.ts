/**
 * The promotion codes an order request names: `promotionCode` (one) or
 * `promotionCodes` (several), never both; a code named twice (in any case) is
 * refused before anything is read, since it could only be a mistake and the
 * stacking rules count each code once.
 */
import { ApiError, ErrorCode } from "../platform/errors.ts";

export interface RequestedCodes {
  codes: string[];
  /** The body field the codes came in, named by the problems about them. */
  field: "promotionCode" | "promotionCodes";
}

/** Null when the request names no code (the cart's codes then apply). */
export function requestedCodes(body: { promotionCode?: string | undefined; promotionCodes?: string[] | undefined }): RequestedCodes | null {
  if (body.promotionCode !== undefined && body.promotionCodes !== undefined)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "Send either promotionCode or promotionCodes, not both", {
      errors: [{ field: "promotionCode", message: "not with promotionCodes" }],
    });
  if (body.promotionCode !== undefined) return { codes: [body.promotionCode.toUpperCase()], field: "promotionCode" };
  if (body.promotionCodes === undefined) return null;
  const codes = body.promotionCodes.map((c) => c.toUpperCase());
  const duplicates = codes.flatMap((c, i) =>
    codes.indexOf(c) < i ? [{ field: `promotionCodes[${i}]`, message: `${c} is already given` }] : [],
  );
  if (duplicates.length > 0)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "A promotion code is given more than once", { errors: duplicates });
  return { codes, field: "promotionCodes" };
}
