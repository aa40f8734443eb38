/**
 * PII scrubbing: the safety net's patterns, each rule action, the defaults
 * for fields without a rule, the pseudonyms, the envelope, and the rule
 * table itself (complete for every type that becomes facts, and naming only
 * fields that exist).
 */
import { describe, expect, it } from "vitest";
import "../../queues/contracts/index.ts";
import { EmailVerificationRequested } from "../../queues/contracts/events/auth.ts";
import { ShipmentCreated } from "../../queues/contracts/events/delivery.ts";
import { OrderCreated } from "../../queues/contracts/events/order.ts";
import { ProductCreated } from "../../queues/contracts/events/product.ts";
import { analyticsFactLoaders } from "../analytics/index.ts";
import { buildEvent, findContract, listContracts } from "../platform/event-contracts.ts";
import { fieldRules, isFreeText, payloadFields } from "./fields.ts";
import { scrubText } from "./pii-patterns.ts";
import { PII_RULES, ruleFor } from "./pii-rules.ts";
import { scrubEvent, scrubPayload } from "./pii-scrub.ts";
import { PSEUDONYM_PATTERN, pseudonymizer } from "./pseudonym.ts";

const KEY = "unit-test-pii-key-0123456789abcdef-xyz";
const pz = pseudonymizer(KEY);

describe("the safety net's patterns", () => {
  it.each([
    ["mail me at ada.lovelace+shop@example.co.uk today", "mail me at [email] today"],
    ["call +44 20 7946 0958 or (555) 123-4567", "call [phone] or [phone]"],
    ["from 192.168.10.23 and 2001:db8:85a3::8a2e:370:7334", "from [ip] and [ip]"],
    ["fe80::1 said hi", "[ip] said hi"],
    ["0171 1234567", "[phone]"],
  ])("finds personal data in %j", (input, output) => {
    expect(scrubText(input).text).toBe(output);
  });

  it.each([
    "EC-2026-000123",
    "ord_01JB8ZK3M4N5P6Q7R8S9T0V1W2",
    "2026-03-01T10:00:00.000Z",
    "SKU-8842-1234567890",
    "psn_Ab3dE5gH7jK9mN1pQ3sT5v",
    "runs at 10:00:00 daily",
    "Size 42, 3 for 2",
    "version 1.2.3",
  ])("leaves %j alone", (text) => {
    expect(scrubText(text)).toEqual({ text, found: [] });
  });
});

describe("pseudonyms", () => {
  it("are stable for one key, differ between keys and values, and are an HMAC-SHA256 of the value", async () => {
    const a = await pz("usr_01JB8ZK3M4N5P6Q7R8S9T0V1W2");
    expect(a).toMatch(PSEUDONYM_PATTERN);
    expect(await pseudonymizer(KEY)("usr_01JB8ZK3M4N5P6Q7R8S9T0V1W2")).toBe(a);
    expect(await pseudonymizer(`${KEY}-other`)("usr_01JB8ZK3M4N5P6Q7R8S9T0V1W2")).not.toBe(a);
    expect(await pz("usr_01JB8ZK3M4N5P6Q7R8S9T0V1W3")).not.toBe(a);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(KEY), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("usr_01JB8ZK3M4N5P6Q7R8S9T0V1W2")));
    const b64 = btoa(String.fromCharCode(...mac.slice(0, 16)))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    expect(a).toBe(`psn_${b64}`);
  });
});

describe("rule actions", () => {
  it("hmac replaces, drop removes, keep keeps, scan masks; a rule on an array covers its items", async () => {
    const { payload, report } = await scrubPayload(
      "EmailVerificationRequested",
      { userId: "usr_1", email: "ada@example.com", locale: "en", token: "secret-token", expiresAt: "2026-01-01T00:00:00Z" },
      pz,
    );
    expect(payload).toEqual({ userId: await pz("usr_1"), locale: "en", expiresAt: "2026-01-01T00:00:00Z" });
    expect(report.dropped.sort()).toEqual(["email", "token"]);
    expect(report.hashed).toEqual(["userId"]);

    const order = await scrubPayload(
      "OrderCreated",
      { orderId: "ord_1", userId: "usr_1", lines: [{ sku: "S-1", name: "Mug, ask bob@example.com", quantity: 1 }] },
      pz,
    );
    expect(order.payload).toMatchObject({
      orderId: "ord_1",
      userId: await pz("usr_1"),
      lines: [{ sku: "S-1", name: "Mug, ask [email]", quantity: 1 }],
    });
    expect(order.report.masked).toEqual(["lines[].name"]);
  });

  it("drops fields without a rule whose name says they are personal, and scans other free text", async () => {
    const { payload } = await scrubPayload(
      "SomethingNew",
      {
        userId: "usr_9",
        email: "x@y.io",
        fullName: "Ada Lovelace",
        street: "12 Crescent Rd",
        note: "ring 0171 1234567",
        nested: { phone: "+1 555 123 4567", count: 3 },
        tags: ["a@b.co", "plain"],
      },
      pz,
    );
    expect(payload).toEqual({ userId: "usr_9", note: "ring [phone]", nested: { count: 3 }, tags: ["[email]", "plain"] });
  });

  it("matches record values with `*`, enclosing paths and array items", () => {
    const rules = { "a.b[].c.*": "keep", x: "drop", "y[]": "hmac" } as const;
    expect(ruleFor(rules, "a.b[].c.color")).toBe("keep");
    expect(ruleFor(rules, "x.deep.er")).toBe("drop");
    expect(ruleFor(rules, "y[]")).toBe("hmac");
    expect(ruleFor(rules, "a.b[].d")).toBeUndefined();
  });
});

describe("the envelope", () => {
  it("pseudonymises a user actor and a user topic's subject, and leaves ids of other things", async () => {
    const user = buildEvent(EmailVerificationRequested, {
      subjectId: "usr_7",
      source: "users",
      correlationId: "req_1",
      actor: { type: "user", id: "usr_7" },
      payload: { userId: "usr_7", email: "ada@example.com", locale: "en", token: "t", expiresAt: "x" },
    });
    const s = await scrubEvent(user, pz);
    expect(s.subjectId).toBe(await pz("usr_7"));
    expect(s.actor).toEqual({ type: "user", id: await pz("usr_7") });
    expect(JSON.stringify(s)).not.toMatch(/usr_7|ada@example/);
    const ship = buildEvent(ShipmentCreated, {
      subjectId: "shp_1",
      source: "delivery",
      correlationId: "req_2",
      actor: { type: "service", id: "carrier" },
      payload: {
        shipmentId: "shp_1",
        orderId: "ord_1",
        orderNumber: "EC-2026-000001",
        userId: "usr_7",
        carrier: "DHL",
        trackingNumber: "JD0123456789",
        trackingUrl: "https://track.example/JD0123456789",
        country: "DE",
      },
    });
    const t = await scrubEvent(ship, pz);
    expect(t.subjectId).toBe("shp_1");
    expect(t.actor).toEqual({ type: "service", id: "carrier" });
    expect(t.payload).toEqual({
      shipmentId: "shp_1",
      orderId: "ord_1",
      orderNumber: "EC-2026-000001",
      userId: await pz("usr_7"),
      carrier: "DHL",
      country: "DE",
    });
  });

  it("keeps a product snapshot's analytics fields and drops its description and image", async () => {
    const product = {
      productId: "prd_1",
      slug: "mug",
      name: "Mug",
      description: "Call 0171 1234567",
      status: "active",
      brand: null,
      category: { id: "cat_1", slug: "c", name: "Kitchen", path: "c" },
      tags: ["x"],
      imageUrl: "https://img",
      variants: [{ variantId: "var_1", sku: "S-1", options: { colour: "red" }, priceMinor: 100, compareAtMinor: null, currency: "USD" }],
      version: 1,
      createdAt: "t",
      updatedAt: "t",
    };
    const { payload } = await scrubPayload("ProductCreated", ProductCreated.payload.parse({ product }), pz);
    const p = payload.product;
    expect(p.description).toBeUndefined();
    expect(p.imageUrl).toBeUndefined();
    expect(p).toMatchObject({
      productId: "prd_1",
      name: "Mug",
      category: { name: "Kitchen" },
      variants: [{ sku: "S-1", options: { colour: "red" } }],
    });
  });
});

describe("the rule table", () => {
  it("declares every free-text field of every event type that becomes facts", () => {
    for (const { contract } of analyticsFactLoaders) {
      const missing = payloadFields(contract)
        .filter((f) => isFreeText(f) && !ruleFor(PII_RULES[contract.type], f.path))
        .map((f) => f.path);
      expect(missing, contract.type).toEqual([]);
    }
  });

  it("names only fields that exist, and hashes every user id of every contract", () => {
    for (const [type, rules] of Object.entries(PII_RULES)) {
      const contract = findContract(type, 1);
      if (!contract) continue;
      const paths = payloadFields(contract).map((f) => f.path);
      for (const rule of Object.keys(rules))
        expect(
          paths.some((p) => p === rule || p.startsWith(`${rule}.`) || p.startsWith(`${rule}[]`)),
          `${type}.${rule}`,
        ).toBe(true);
    }
    for (const contract of listContracts()) {
      for (const f of fieldRules(contract).filter((x) => /(^|\.)(userId|authorId|changedBy)$/.test(x.path)))
        expect(f.pii, `${contract.type}.${f.path}`).toBe("hmac");
      for (const f of fieldRules(contract).filter((x) => /(^|\.)(email|token)$/.test(x.path)))
        expect(f.pii, `${contract.type}.${f.path}`).toBe("drop");
    }
  });

  it("keeps no raw user id in any scrubbed order event", async () => {
    const order = buildEvent(OrderCreated, {
      subjectId: "ord_1",
      source: "orders",
      correlationId: "r",
      actor: { type: "user", id: "usr_secret" },
      payload: {
        orderId: "ord_1",
        orderNumber: "EC-1",
        userId: "usr_secret",
        lines: [{ sku: "S", productId: "prd_1", name: "N", quantity: 1, unitPriceMinor: 1 }],
        subtotalMinor: 1,
        discountMinor: 0,
        shippingMinor: 0,
        taxMinor: 0,
        totalMinor: 1,
        currency: "USD",
        shippingCountry: "DE",
      },
    });
    expect(JSON.stringify(await scrubEvent(order, pz))).not.toContain("usr_secret");
  });
});
