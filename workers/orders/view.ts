/**
 * The family's side of presenting orders: the summaries of a page of
 * orders, and the object's answers turned back into errors for the gateway.
 * The order itself (OrderView) and the answers are its object's
 * (durable-objects/order/view.ts).
 */
import { type Answer, iso, type OrderRow, type OrderStatus, type OrderView, totalsOf } from "../../durable-objects/order/index.ts";
import { ApiError, errorDefOf } from "../platform/errors.ts";

export type { OrderView };

export interface OrderSummary {
  id: string;
  number: string;
  userId: string;
  status: OrderStatus;
  totals: OrderView["totals"];
  lineCount: number;
  createdAt: string;
  updatedAt: string;
}

export function summarize(o: OrderRow, lineCount: number): OrderSummary {
  return {
    id: o.id,
    number: o.number,
    userId: o.userId,
    status: o.status,
    totals: totalsOf(o),
    lineCount,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

/** A problem the object answered with, as the error the gateway sends (its code was carried as a string). */
export function answerError(a: Extract<Answer, { error: unknown }>): ApiError {
  return new ApiError(errorDefOf(a.error.code), a.error.detail, a.error.extras, a.status as ApiError["status"]);
}
