/**
 * What the shopper benchmarks set up through the API itself: stocked SKUs and
 * signed-in shoppers.
 */
export const OPS_TOKEN = "bench-ops-token-0123456789abcdef";
export const ADDRESS = {
  name: "Bench Shopper",
  line1: "1 Market St",
  city: "San Francisco",
  region: "CA",
  postalCode: "94105",
  country: "US",
};

export async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function must(what: string, p: Promise<{ status: number; body: unknown }>, status: number): Promise<unknown> {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A product with `count` variants, each stocked well beyond what the run can sell. */
export async function stockedSkus(base: string, count: number, units = 1_000_000): Promise<string[]> {
  const skus = Array.from({ length: count }, (_, i) => `BENCH-${Date.now().toString(36).toUpperCase()}-${i}`);
  await must(
    "product",
    call(`${base}/api/products`, {
      method: "POST",
      token: OPS_TOKEN,
      body: {
        name: "Bench product",
        slug: `bench-${Date.now()}`,
        categoryId: null,
        brandId: null,
        status: "active",
        tags: [],
        variants: skus.map((sku) => ({ sku, priceMinor: 2500, compareAtMinor: null, currency: "USD", options: { n: sku } })),
      },
    }),
    201,
  );
  for (const sku of skus)
    await must(
      `restock ${sku}`,
      call(`${base}/api/inventory/${sku}/restock`, { method: "POST", token: OPS_TOKEN, body: { quantity: units } }),
      200,
    );
  return skus;
}

export async function shoppers(base: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-${Date.now()}-${i}@bench.example`;
    const password = `tangerine-${i}-oxygen-velvet`;
    await must("register", call(`${base}/api/users/register`, { method: "POST", body: { email, password, name: `Shopper ${i}` } }), 201);
    const login = (await must(
      "login",
      call(`${base}/api/auth/login`, { method: "POST", body: { email, password }, headers: { "cf-connecting-ip": `198.18.7.${i + 1}` } }),
      200,
    )) as { accessToken: string };
    tokens.push(login.accessToken);
  }
  return tokens;
}
