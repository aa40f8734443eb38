/**
 * A fixed, seeded shop history for the analytics tests: products, customers
 * signing up over six weeks, views, cart adds, orders (some confirmed, some
 * cancelled, some refunded, one in another currency) and stock crossings.
 * It lives in its own six weeks of a past year and its own currency, so the
 * metrics of one fixture never see another test's facts (the database is
 * shared). history-events-test-fixtures.ts turns it into the contracts'
 * events; expected-test-fixtures.ts computes the metrics from the history
 * itself, independently of SQL.
 */
import { newId } from "../platform/ids.ts";

export const DAY = 86_400_000;

/** mulberry32: the same seed gives the same history. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const letters = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => String.fromCharCode(65 + (b % 26))).join("");
/** A currency code no other test uses. */
export const uniqueCurrency = () => `Q${letters(2)}`;

export interface Product {
  id: string;
  slug: string;
  name: string;
  categoryId: string;
  categoryName: string;
  brandId: string | null;
  brandName: string | null;
  skus: string[];
  price: number;
}
export interface Customer {
  userId: string;
  signedUpAt: Date;
}
export interface Line {
  productId: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}
export interface Order {
  orderId: string;
  userId: string;
  currency: string;
  country: string;
  lines: Line[];
  shipping: number;
  tax: number;
  discount: number;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  refunds: { amount: number; at: Date }[];
}
export interface World {
  currency: string;
  other: string;
  start: Date;
  weeks: number;
  products: Product[];
  customers: Customer[];
  views: { userId: string | null; productRef: string; at: Date }[];
  cartAdds: { userId: string | null; cartId: string; sku: string; quantity: number; price: number; at: Date }[];
  abandoned: { userId: string | null; cartId: string; at: Date }[];
  orders: Order[];
  stock: { sku: string; kind: "low" | "out"; at: Date }[];
}

export const subtotal = (o: Order) => o.lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0);
export const total = (o: Order) => subtotal(o) - o.discount + o.shipping + o.tax;

/**
 * A Monday at midnight UTC between the years, chosen at random so a rerun against the same database gets fresh
 * weeks. Test files that build a world share the database: each takes its own decade, so no two histories
 * overlap (metrics 1971-1978, report numbers 1981-1988, report schedules 1991-1998, facts the 1960s).
 */
export function randomMonday(fromYear: number, toYear: number): Date {
  const lo = Date.UTC(fromYear, 0, 1);
  const d = new Date(lo + Math.floor(Math.random() * (Date.UTC(toYear, 0, 1) - lo)));
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day;
}

export function buildWorld(seed: number, start: Date, currency = uniqueCurrency()): World {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const weeks = 6;
  const at = (fromDay: number, toDay: number) => new Date(start.getTime() + (fromDay + rnd() * (toDay - fromDay)) * DAY);
  const tag = letters(6);
  const cats = [
    { id: newId("cat"), name: `Shoes ${tag}` },
    { id: newId("cat"), name: `Hats ${tag}` },
  ];
  const brands = [{ id: newId("brd"), name: `Acme ${tag}` }, null];
  const products: Product[] = Array.from({ length: 4 }, (_, i) => {
    const id = newId("prd");
    return {
      id,
      slug: `item-${tag.toLowerCase()}-${i}`,
      name: `Item ${i} ${tag}`,
      categoryId: cats[i % 2]!.id,
      categoryName: cats[i % 2]!.name,
      brandId: brands[i % 2]?.id ?? null,
      brandName: brands[i % 2]?.name ?? null,
      skus: [`SKU-${tag}-${i}A`, `SKU-${tag}-${i}B`],
      price: 1000 + 250 * i,
    };
  });
  const customers: Customer[] = Array.from({ length: 14 }, () => ({ userId: newId("usr"), signedUpAt: at(0, 7 * weeks - 10) }));
  let other = uniqueCurrency();
  while (other === currency) other = uniqueCurrency();
  const w: World = { currency, other, start, weeks, products, customers, views: [], cartAdds: [], abandoned: [], orders: [], stock: [] };
  for (const c of customers) {
    const first = (c.signedUpAt.getTime() - start.getTime()) / DAY;
    const visits = 1 + Math.floor(rnd() * 3);
    for (let v = 0; v < visits; v++) {
      const day = first + rnd() * (7 * weeks - first - 1);
      const product = pick(products);
      w.views.push({ userId: c.userId, productRef: rnd() < 0.5 ? product.id : product.slug, at: at(day, day + 0.1) });
      if (rnd() < 0.3) continue; // looked, left
      const sku = pick(product.skus);
      const quantity = 1 + Math.floor(rnd() * 3);
      w.cartAdds.push({ userId: c.userId, cartId: newId("crt"), sku, quantity, price: product.price, at: at(day + 0.1, day + 0.2) });
      if (rnd() < 0.25) continue; // added, never checked out
      const lines = [{ productId: product.id, sku, quantity, unitPriceMinor: product.price }];
      if (rnd() < 0.4) {
        const extra = pick(products);
        if (extra.id !== product.id) lines.push({ productId: extra.id, sku: extra.skus[0]!, quantity: 1, unitPriceMinor: extra.price });
      }
      const createdAt = at(day + 0.2, day + 0.3);
      const fate = rnd();
      const confirmedAt = fate < 0.15 ? null : new Date(createdAt.getTime() + 600_000);
      const cancelledAt = fate < 0.15 ? new Date(createdAt.getTime() + 900_000) : fate > 0.85 ? at(day + 1, day + 3) : null;
      const order: Order = {
        orderId: newId("ord"),
        userId: c.userId,
        currency,
        country: pick(["DE", "FR", "US"]),
        lines,
        shipping: 499,
        tax: Math.round(subtotal({ lines } as Order) * 0.1),
        discount: rnd() < 0.3 ? 200 : 0,
        createdAt,
        confirmedAt,
        cancelledAt,
        refunds: [],
      };
      if (confirmedAt && cancelledAt) order.refunds.push({ amount: total(order), at: new Date(cancelledAt.getTime() + 60_000) });
      else if (confirmedAt && rnd() < 0.2) order.refunds.push({ amount: 300, at: new Date(confirmedAt.getTime() + 2 * DAY) });
      w.orders.push(order);
    }
  }
  // Anonymous browsing and a guest cart, abandoned; two orders in another currency (never in this currency's figures).
  for (let i = 0; i < 5; i++) w.views.push({ userId: null, productRef: pick(products).id, at: at(0, 7 * weeks) });
  const guestCart = newId("crt");
  w.cartAdds.push({ userId: null, cartId: guestCart, sku: products[0]!.skus[0]!, quantity: 2, price: products[0]!.price, at: at(3, 4) });
  w.abandoned.push({ userId: null, cartId: guestCart, at: at(10, 11) });
  for (const c of customers.slice(0, 2)) {
    const createdAt = at(20, 21);
    w.orders.push({
      orderId: newId("ord"),
      userId: c.userId,
      currency: w.other,
      country: "GB",
      lines: [{ productId: products[1]!.id, sku: products[1]!.skus[0]!, quantity: 1, unitPriceMinor: 999 }],
      shipping: 0,
      tax: 0,
      discount: 0,
      createdAt,
      confirmedAt: new Date(createdAt.getTime() + 60_000),
      cancelledAt: null,
      refunds: [],
    });
  }
  for (let i = 0; i < 9; i++) w.stock.push({ sku: pick(products).skus[i % 2]!, kind: rnd() < 0.5 ? "low" : "out", at: at(0, 7 * weeks) });
  return w;
}
