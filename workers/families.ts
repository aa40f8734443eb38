/**
 * The composition root's one list: every route family of the Worker. The
 * gateway mounts their routes, the scheduler runs their jobs, the consumer
 * groups run their subscriptions (in this order when several families handle
 * one event in one group), and the error registry takes their codes.
 * Adding a family is its folder plus one line here (CONTRIBUTING.md).
 */
import { analytics, analyticsFactLoaders } from "./analytics/index.ts";
import { audit } from "./audit/index.ts";
import { backups } from "./backups/index.ts";
import { cart } from "./cart/index.ts";
import { delivery } from "./delivery/index.ts";
import { health } from "./health/index.ts";
import { identity } from "./identity/index.ts";
import { inventory } from "./inventory/index.ts";
import { invoices } from "./invoices/index.ts";
import { monitoring } from "./monitoring/index.ts";
import { notifications } from "./notifications/index.ts";
import { orders } from "./orders/index.ts";
import { payments } from "./payments/index.ts";
import { pipelineFamily } from "./pipeline/index.ts";
import type { Family } from "./platform/family.ts";
import { products } from "./products/index.ts";
import { promotions } from "./promotions/index.ts";
import { recommendations } from "./recommendations/index.ts";
import { reports } from "./reports/index.ts";
import { reviews } from "./reviews/index.ts";
import { scheduler } from "./scheduler/index.ts";
import { search } from "./search/index.ts";
import { taxes } from "./taxes/index.ts";

export const FAMILIES: readonly Family[] = [
  health,
  pipelineFamily({ factLoaders: analyticsFactLoaders }),
  analytics,
  scheduler,
  products,
  search,
  audit,
  inventory,
  cart,
  identity,
  notifications,
  reviews,
  payments,
  delivery,
  orders,
  recommendations,
  backups,
  reports,
  monitoring,
  taxes,
  promotions,
  invoices,
];
