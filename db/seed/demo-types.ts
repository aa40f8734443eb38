/** The shapes of the demo data (demo-data.ts), one per table it fills, and the constants they share. */

export const DEMO_CURRENCY = "USD";
/** Matches the column default of inventory.stock_levels.low_stock_threshold. */
export const LOW_STOCK_THRESHOLD = 5;

export interface DemoCategory {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  path: string;
  position: number;
}
export interface DemoBrand {
  id: string;
  slug: string;
  name: string;
}
export type ProductStatus = "draft" | "active" | "archived";
export interface DemoProduct {
  id: string;
  slug: string;
  name: string;
  description: string;
  brandId: string;
  categoryId: string;
  status: ProductStatus;
  tags: string[];
}
export interface DemoVariant {
  id: string;
  productId: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  compareAtMinor: number | null;
  currency: string;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}
/** A discount as catalog.discounts holds it; windows are relative to the `now` the generator is given. */
export interface DemoDiscount {
  id: string;
  name: string;
  kind: "percentage" | "fixed";
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
  scope: "product" | "category" | "all";
  productId: string | null;
  categoryId: string | null;
  startsAt: Date;
  endsAt: Date | null;
}
export interface DemoStock {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
}
export type UserRole = "customer" | "support" | "analyst" | "admin";
/** Passwords are not part of the data: the seed runner hashes them, since hashing is async and salted. */
export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  emailVerified: boolean;
}

export interface DemoData {
  categories: DemoCategory[];
  brands: DemoBrand[];
  products: DemoProduct[];
  variants: DemoVariant[];
  discounts: DemoDiscount[];
  stock: DemoStock[];
  users: DemoUser[];
}
