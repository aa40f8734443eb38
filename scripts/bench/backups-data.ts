/**
 * The generated part of the backup benchmark's store: delivered orders with
 * their lines and captured payments, written straight into Postgres (the
 * invariants the drill checks hold for them: each order's payment captured
 * its total), `ordersPerScale` per unit of scale.
 */
import pg from "pg";

export async function generateOrders(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin");
    await client.query(
      `insert into orders.orders (id, number, user_id, status, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor,
         total_minor, item_count, shipping_address, reservation_id, hold_expires_at, create_hash, payment_id, created_at, updated_at)
       select 'ord_bench' || lpad(i::text, 20, '0'), 'EC-BENCH-' || i, (select id from users.users order by id offset (i % greatest((select count(*) from users.users), 1)) limit 1),
         'delivered', 'USD', 1000 + i % 5000, 0, 0, 0, 1000 + i % 5000, 2,
         '{"name":"Bench Buyer","line1":"1 Test Way","city":"Springfield","region":"il","postalCode":"62701","country":"us"}'::jsonb,
         'res_bench' || i, now(), md5(i::text), 'pay_bench' || lpad(i::text, 20, '0'), now() - (i || ' minutes')::interval, now()
       from generate_series(1, $1::int) i`,
      [count],
    );
    await client.query(
      `insert into orders.order_lines (order_id, line_no, sku, product_id, variant_id, name, options, quantity,
         unit_base_minor, unit_discount_minor, unit_price_minor, line_total_minor)
       select o.id, l, v.sku, v.product_id, v.id, 'Bench item', '{}'::jsonb, 1, (o.total_minor / 2) + (case when l = 1 then o.total_minor % 2 else 0 end),
         0, (o.total_minor / 2) + (case when l = 1 then o.total_minor % 2 else 0 end), (o.total_minor / 2) + (case when l = 1 then o.total_minor % 2 else 0 end)
       from orders.orders o cross join generate_series(1, 2) l
       join lateral (select id, sku, product_id from catalog.variants order by id offset (abs(hashtext(o.id || l)) % (select count(*) from catalog.variants)) limit 1) v on true
       where o.id like 'ord_bench%'`,
    );
    await client.query(
      `insert into payments.payments (id, order_id, order_number, user_id, provider, payment_method_id, amount_minor, currency,
         captured_minor, status, idempotency_key, correlation_id)
       select o.payment_id, o.id, o.number, o.user_id, 'sandbox', 'pm_card_visa', o.total_minor, 'USD', o.total_minor, 'captured', 'bench-' || o.id, o.id
       from orders.orders o where o.id like 'ord_bench%'`,
    );
    await client.query("commit");
  } catch (err) {
    await client.query("rollback");
    throw err;
  } finally {
    await client.end();
  }
}

export async function createDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}"`);
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Every SKU, as the backup names the Inventory objects. */
export async function skuNames(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ sku: string }>(
      "select sku from catalog.variants union select sku from inventory.stock_levels order by 1",
    );
    return r.rows.map((x) => x.sku);
  } finally {
    await client.end();
  }
}
