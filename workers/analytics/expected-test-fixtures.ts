/**
 * The metrics of a test history (history-test-fixtures.ts), computed directly from
 * the history in plain TypeScript: no SQL, no fact tables, no shared
 * bucketing code. The analytics tests compare the API's answers with these.
 */
import { DAY, type Order, total, type World } from "./history-test-fixtures.ts";

const WEEK = 7 * DAY;
const inRange = (d: Date | null, from: Date, to: Date): d is Date => d !== null && d >= from && d < to;
/** The Monday (UTC) of a date's ISO week, as YYYY-MM-DD. */
export const weekOf = (d: Date) => {
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
};
const units = (o: Order) => o.lines.reduce((n, l) => n + l.quantity, 0);
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
const aov = (revenue: number, orders: number) => (orders === 0 ? 0 : Math.round(revenue / orders));
const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
const groupBy = <T>(xs: T[], key: (x: T) => string | null) => {
  const m = new Map<string | null, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

export function weeksOf(w: World): string[] {
  return Array.from({ length: w.weeks }, (_, i) => new Date(w.start.getTime() + i * WEEK).toISOString().slice(0, 10));
}

export function periodOf(w: World) {
  return { from: w.start, to: new Date(w.start.getTime() + w.weeks * WEEK) };
}

function confirmedOrders(w: World, from: Date, to: Date) {
  return w.orders.filter((o) => o.currency === w.currency && inRange(o.confirmedAt, from, to));
}

function refundsIn(w: World, from: Date, to: Date) {
  return w.orders
    .filter((o) => o.currency === w.currency)
    .flatMap((o) => o.refunds.filter((r) => inRange(r.at, from, to)).map((r) => ({ ...r, order: o })));
}

export function expectedSales(w: World) {
  const { from, to } = periodOf(w);
  const orders = confirmedOrders(w, from, to);
  const refunds = refundsIn(w, from, to);
  const revenue = sum(orders, total);
  const refunded = sum(refunds, (r) => r.amount);
  const totals = {
    orders: orders.length,
    units: sum(orders, units),
    revenueMinor: revenue,
    averageOrderValueMinor: aov(revenue, orders.length),
    refunds: refunds.length,
    refundedMinor: refunded,
    netRevenueMinor: revenue - refunded,
  };
  const orderRow = (key: string | null, os: Order[], rs: typeof refunds) => ({
    key,
    label: key,
    orders: os.length,
    units: sum(os, units),
    revenueMinor: sum(os, total),
    averageOrderValueMinor: aov(sum(os, total), os.length),
    refunds: rs.length,
    refundedMinor: sum(rs, (r) => r.amount),
  });
  const byPeriod = weeksOf(w).map((wk) =>
    orderRow(
      wk,
      orders.filter((o) => weekOf(o.confirmedAt!) === wk),
      refunds.filter((r) => weekOf(r.at) === wk),
    ),
  );
  const countries = [...new Set([...orders.map((o) => o.country), ...refunds.map((r) => r.order.country)])];
  const byRegion = countries.map((c) =>
    orderRow(
      c,
      orders.filter((o) => o.country === c),
      refunds.filter((r) => r.order.country === c),
    ),
  );
  const lines = orders.flatMap((o) =>
    o.lines.map((l) => ({ ...l, orderId: o.orderId, product: w.products.find((p) => p.id === l.productId)! })),
  );
  const lineRows = (key: (l: (typeof lines)[number]) => string | null, label: (l: (typeof lines)[number]) => string | null) =>
    [...groupBy(lines, key)].map(([k, ls]) => {
      const revenueMinor = sum(ls, (l) => l.quantity * l.unitPriceMinor);
      const n = new Set(ls.map((l) => l.orderId)).size;
      return {
        key: k,
        label: label(ls[0]!),
        orders: n,
        units: sum(ls, (l) => l.quantity),
        revenueMinor,
        averageOrderValueMinor: aov(revenueMinor, n),
        refunds: null,
        refundedMinor: null,
      };
    });
  return {
    totals,
    period: byPeriod,
    region: byRegion,
    product: lineRows(
      (l) => l.productId,
      (l) => l.product.name,
    ),
    category: lineRows(
      (l) => l.product.categoryId,
      (l) => l.product.categoryName,
    ),
    brand: lineRows(
      (l) => l.product.brandId,
      (l) => l.product.brandName,
    ),
  };
}

function funnelOf(w: World, from: Date, to: Date) {
  const viewers = new Set(w.views.filter((v) => v.userId && inRange(v.at, from, to)).map((v) => v.userId!));
  const adders = new Set(w.cartAdds.filter((a) => a.userId && inRange(a.at, from, to)).map((a) => a.userId!));
  const mine = w.orders.filter((o) => o.currency === w.currency);
  const checkout = new Set(mine.filter((o) => inRange(o.createdAt, from, to)).map((o) => o.userId));
  const confirmed = new Set(mine.filter((o) => inRange(o.confirmedAt, from, to)).map((o) => o.userId));
  const sets = [viewers, adders, checkout, confirmed];
  const reached: number[] = [];
  let acc = new Set(viewers);
  sets.forEach((s, i) => {
    if (i > 0) acc = new Set([...acc].filter((u) => s.has(u)));
    reached.push(acc.size);
  });
  const names = ["product_viewed", "added_to_cart", "checkout_started", "order_confirmed"];
  return {
    steps: sets.map((s, i) => ({
      step: names[i]!,
      users: s.size,
      reached: reached[i]!,
      conversionRate: i === 0 ? null : rate(reached[i]!, reached[i - 1]!),
    })),
    overallConversionRate: rate(reached[3]!, reached[0]!),
  };
}

export function expectedFunnel(w: World) {
  const { from, to } = periodOf(w);
  return {
    ...funnelOf(w, from, to),
    anonymous: {
      productViews: w.views.filter((v) => !v.userId && inRange(v.at, from, to)).length,
      guestCartAdds: new Set(w.cartAdds.filter((a) => !a.userId && inRange(a.at, from, to)).map((a) => a.cartId)).size,
    },
    buckets: weeksOf(w).map((wk) => {
      const start = new Date(`${wk}T00:00:00Z`);
      return { period: wk, ...funnelOf(w, start, new Date(start.getTime() + WEEK)) };
    }),
  };
}

export function expectedCohorts(w: World, periods: number) {
  const { from, to } = periodOf(w);
  const members = w.customers.filter((c) => inRange(c.signedUpAt, from, to));
  return [...groupBy(members, (c) => weekOf(c.signedUpAt))]
    .sort(([a], [b]) => a!.localeCompare(b!))
    .map(([wk, cs]) => {
      const start = new Date(`${wk}T00:00:00Z`).getTime();
      const retention = Array.from({ length: periods }, (_, k) => {
        if (start + k * WEEK >= to.getTime()) return null;
        const customers = cs.filter((c) =>
          w.orders.some(
            (o) =>
              o.userId === c.userId &&
              o.currency === w.currency &&
              o.confirmedAt &&
              o.confirmedAt < to &&
              Math.round((new Date(`${weekOf(o.confirmedAt)}T00:00:00Z`).getTime() - start) / WEEK) === k,
          ),
        ).length;
        return { offset: k, customers, share: rate(customers, cs.length) };
      });
      return { cohort: wk!, size: cs.length, retention };
    });
}

export function expectedCustomers(w: World) {
  const { from, to } = periodOf(w);
  const orders = confirmedOrders(w, from, to);
  const firstOf = (userId: string) =>
    Math.min(
      ...w.orders.filter((o) => o.userId === userId && o.currency === w.currency && o.confirmedAt).map((o) => o.confirmedAt!.getTime()),
    );
  const split = (os: Order[], isNew: (userId: string) => boolean) => {
    const byCustomer = groupBy(os, (o) => o.userId);
    const keys = [...byCustomer.keys()] as string[];
    const news = keys.filter(isNew);
    const olds = keys.filter((k) => !isNew(k));
    const revenueOf = (ks: string[]) => sum(ks, (k) => sum(byCustomer.get(k)!, total));
    return {
      newCustomers: news.length,
      returningCustomers: olds.length,
      newRevenueMinor: revenueOf(news),
      returningRevenueMinor: revenueOf(olds),
    };
  };
  const revenue = [...groupBy(orders, (o) => o.userId)].map(([userId, os]) => ({
    userId: userId!,
    orders: os.length,
    revenueMinor: sum(os, total),
  }));
  return {
    totals: split(orders, (u) => firstOf(u) >= from.getTime()),
    buckets: weeksOf(w).map((wk) => ({
      period: wk,
      ...split(
        orders.filter((o) => weekOf(o.confirmedAt!) === wk),
        (u) => weekOf(new Date(firstOf(u))) === wk,
      ),
    })),
    revenueByCustomer: revenue.sort((a, b) => b.revenueMinor - a.revenueMinor),
  };
}

export function expectedInventory(w: World) {
  return weeksOf(w).map((wk) => {
    const s = w.stock.filter((x) => weekOf(x.at) === wk);
    const out = s.filter((x) => x.kind === "out");
    const low = s.filter((x) => x.kind === "low");
    return {
      period: wk,
      stockOuts: out.length,
      stockOutSkus: new Set(out.map((x) => x.sku)).size,
      lowStockAlerts: low.length,
      lowStockSkus: new Set(low.map((x) => x.sku)).size,
    };
  });
}

/** One UTC day's running totals, as named by the realtime endpoint. */
export function expectedDay(w: World, day: string) {
  const on = (d: Date | null) => d !== null && d.toISOString().slice(0, 10) === day;
  const mine = w.orders.filter((o) => o.currency === w.currency);
  const confirmed = mine.filter((o) => on(o.confirmedAt));
  const created = mine.filter((o) => on(o.createdAt));
  const refunds = mine.flatMap((o) => o.refunds).filter((r) => on(r.at));
  return {
    ordersConfirmed: confirmed.length,
    revenueMinor: sum(confirmed, total),
    unitsConfirmed: sum(confirmed, units),
    checkoutsStarted: created.length,
    checkoutValueMinor: sum(created, total),
    ordersCancelled: mine.filter((o) => on(o.cancelledAt)).length,
    refunds: refunds.length,
    refundsMinor: sum(refunds, (r) => r.amount),
    signups: w.customers.filter((c) => on(c.signedUpAt)).length,
    productViews: w.views.filter((v) => on(v.at)).length,
    cartAdds: w.cartAdds.filter((a) => on(a.at)).length,
    cartsAbandoned: w.abandoned.filter((a) => on(a.at)).length,
    lowStockAlerts: w.stock.filter((s) => s.kind === "low" && on(s.at)).length,
    stockOuts: w.stock.filter((s) => s.kind === "out" && on(s.at)).length,
  };
}
