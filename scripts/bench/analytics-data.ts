/**
 * The analytics benchmark's data: `lines` order-line facts (four per order)
 * over the last 365 days, and orders, customers, sign-ups, payments, views,
 * cart adds and stock crossings in proportion, written with generate_series
 * straight into the fact tables, then vacuumed and analyzed (the steady
 * state autovacuum keeps: index-only scans need the visibility map).
 */
import type pg from "pg";

/** `--lines` order lines (four per order) over the last 365 days, and the other facts in proportion. */
export async function generateFacts(db: pg.Client, LINES: number): Promise<void> {
  const orders = Math.floor(LINES / 4);
  const customers = Math.max(1000, Math.floor(orders / 5));
  const q = (text: string, params: unknown[] = []) => db.query(text, params);
  await q(`insert into analytics.product_dim (product_id, slug, name, status, category_id, category_name, category_path, brand_id, brand_name, version)
    select 'prd_BENCH' || lpad(g::text, 17, '0'), 'bench-' || g, 'Bench product ' || g, 'active', 'cat_B' || lpad((g % 40)::text, 21, '0'), 'Category ' || (g % 40), 'c' || (g % 40),
      case when g % 10 = 0 then null else 'brd_B' || lpad((g % 60)::text, 21, '0') end, case when g % 10 = 0 then null else 'Brand ' || (g % 60) end, 1
    from generate_series(0, 999) g`);
  const at = `now() - (g::double precision / $1) * interval '365 days'`;
  await q(
    `insert into analytics.order_line_facts (order_id, line_no, event_id, product_id, sku, quantity, unit_price_minor, line_total_minor, currency, created_at, confirmed_at, cancelled_at)
    select 'ord_BENCH' || lpad(g::text, 17, '0'), l, 'evt_BENCH' || lpad(g::text, 17, '0'), 'prd_BENCH' || lpad(((g * 31 + l * 97) % 1000)::text, 17, '0'),
      'SKU-B' || ((g * 31 + l * 97) % 1000), 1 + (g + l) % 3, 500 + ((g * 31 + l * 97) % 1000) * 5, (1 + (g + l) % 3) * (500 + ((g * 31 + l * 97) % 1000) * 5),
      case when g % 10 = 0 then 'EUR' else 'USD' end, ${at}, case when g % 20 = 0 then null else ${at} + interval '5 minutes' end,
      case when g % 50 = 0 then ${at} + interval '1 day' end
    from generate_series(0, $1 - 1) g cross join generate_series(1, 4) l`,
    [orders],
  );
  await q(
    `insert into analytics.order_facts (order_id, order_number, customer_key, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, shipping_country, line_count, units, created_at, confirmed_at, cancelled_at)
    select order_id, 'EC-B-' || right(order_id, 8), 'psn_bench' || lpad(((right(order_id, 12)::bigint * 7919) % $1)::text, 13, '0'), min(currency), sum(line_total_minor), 0, 499, sum(line_total_minor) / 10,
      sum(line_total_minor) + 499 + sum(line_total_minor) / 10, (array['DE','FR','US','GB','NL','ES','IT','PL'])[1 + right(order_id, 12)::bigint % 8], 4, sum(quantity), min(created_at), min(confirmed_at), min(cancelled_at)
    from analytics.order_line_facts where order_id like 'ord_BENCH%' group by order_id`,
    [customers],
  );
  await q(
    `insert into analytics.signup_facts (customer_key, event_id, role, via, locale, signed_up_at)
    select 'psn_bench' || lpad(k::text, 13, '0'), 'evt_BSIGN' || lpad(k::text, 17, '0'), 'customer', 'registration', 'en', now() - ((k % 420) || ' days')::interval - ((k % 1440) || ' minutes')::interval
    from generate_series(0, $1 - 1) k`,
    [customers],
  );
  await q(`insert into analytics.payment_facts (event_id, kind, payment_id, refund_id, order_id, customer_key, amount_minor, currency, provider, occurred_at)
    select 'evt_BPAY' || order_id, 'captured', 'pay_' || order_id, null, order_id, customer_key, total_minor, currency, 'sandbox', confirmed_at from analytics.order_facts where confirmed_at is not null and order_id like 'ord_BENCH%'
    union all
    select 'evt_BRFD' || order_id, 'refunded', 'pay_' || order_id, 'rfd_' || order_id, order_id, customer_key, total_minor / 2, currency, 'sandbox', confirmed_at + interval '3 days' from analytics.order_facts where confirmed_at is not null and right(order_id, 2) = '25'`);
  await q(
    `insert into analytics.product_view_facts (event_id, product_ref, product_id, customer_key, weight, viewed_at)
    select 'evt_BVIEW' || lpad(g::text, 17, '0'), 'prd_BENCH' || lpad((g % 1000)::text, 17, '0'), 'prd_BENCH' || lpad((g % 1000)::text, 17, '0'),
      case when g % 10 < 7 then 'psn_bench' || lpad(((g * 13) % $2)::text, 13, '0') end, 1, now() - (g::double precision / $1) * interval '365 days'
    from generate_series(0, $1 - 1) g`,
    [LINES, customers],
  );
  await q(
    `insert into analytics.cart_facts (event_id, cart_id, kind, sku, quantity, value_minor, currency, customer_key, occurred_at)
    select 'evt_BCART' || lpad(g::text, 17, '0'), 'crt_' || g, 'added', 'SKU-B' || (g % 1000), 1, 1000, 'USD', 'psn_bench' || lpad(((g * 17) % $2)::text, 13, '0'), now() - (g::double precision / $1) * interval '365 days'
    from generate_series(0, $1 - 1) g`,
    [Math.floor(LINES * 0.3), customers],
  );
  await q(`insert into analytics.inventory_facts (event_id, kind, sku, available, on_hand, stock_version, occurred_at)
    select 'evt_BINV' || lpad(g::text, 17, '0'), case when g % 3 = 0 then 'out_of_stock' else 'low_stock' end, 'SKU-B' || (g % 1000), g % 3, g % 3, g, now() - (g::double precision / 20000) * interval '365 days'
    from generate_series(0, 19999) g`);
  await q(
    `insert into analytics.sku_dim (sku, product_id, version) select 'SKU-B' || g, 'prd_BENCH' || lpad(g::text, 17, '0'), 1 from generate_series(0, 999) g`,
  );
  await q(`insert into analytics.sku_stock (sku, status, available, on_hand, reserved, low_stock_threshold, stock_version, updated_at)
    select 'SKU-B' || g, case when g % 10 = 0 then 'out_of_stock' when g % 10 = 1 then 'low_stock' else 'in_stock' end, g % 10, g % 10, 0, 3, 1, now() - (g || ' minutes')::interval from generate_series(0, 999) g`);
  await q(`insert into analytics.daily_metrics (day, currency, metric, value)
    select (confirmed_at at time zone 'UTC')::date, currency, m.metric, sum(case m.metric when 'orders_confirmed' then 1 when 'revenue_minor' then total_minor else units end)
    from analytics.order_facts cross join (values ('orders_confirmed'), ('revenue_minor'), ('units_confirmed')) m(metric)
    where confirmed_at is not null and order_id like 'ord_BENCH%' group by 1, 2, 3
    on conflict (day, currency, metric) do update set value = excluded.value`);
  await q(
    "vacuum analyze analytics.product_dim, analytics.order_line_facts, analytics.order_facts, analytics.signup_facts, analytics.payment_facts, analytics.product_view_facts, analytics.cart_facts, analytics.inventory_facts, analytics.sku_stock, analytics.sku_dim, analytics.daily_metrics",
  );
}
