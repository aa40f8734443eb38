/**
 * OWASP API7, server side request forgery (image URLs naming private targets
 * in every encoding); API8, security misconfiguration (responses with tokens
 * or personal data kept by caches, errors that explain themselves to
 * forgers); API10, unsafe consumption (forged provider webhooks). Each
 * refused attack leaves the resource as it was.
 */
import { describe, expect, it } from "vitest";
import { getPayment } from "../../workers/payments/service.ts";
import { authorize, sandboxEventBody, sendWebhook } from "../../workers/payments/test-support.ts";
import { newProduct } from "../../workers/products/test-fixtures.ts";
import { withTestDb } from "../helpers/db.ts";
import { api } from "../helpers/http.ts";
import { clientIp, login, registerAndLogin, strongPassword, uniqueEmail } from "../helpers/identity.ts";
import { readJson, refusedUnchanged } from "./helpers.ts";

describe("API7 server side request forgery", { timeout: 120_000 }, () => {
  it("refuses image URLs that name a non-public target in any encoding, and the product keeps its images", async () => {
    const product = await newProduct();
    const read = () => readJson(`/api/products/${product.id}`, null);
    const targets = [
      "https://127.0.0.1/x.png",
      "https://2130706433/x.png",
      "https://0x7f.1/x.png",
      "https://[::1]/x.png",
      "https://[::ffff:169.254.169.254]/x.png",
      "https://[64:ff9b::a9fe:a9fe]/x.png",
      "https://[64:ff9b:1::a00:1]/x.png",
      "https://[fd00:ec2::254]/x.png",
      "https://[2001:2::1]/x.png",
      "https://169.254.169.254.nip.io/latest/meta-data",
      "https://a9fea9fe.nip.io/latest/meta-data",
      "https://app-0a000001.nip.io/x.png",
      "https://10-0-0-1.sslip.io/x.png",
      "https://--1.sslip.io/x.png",
      "https://fe80--1.sslip.io/x.png",
      "https://metadata.google.internal/x.png",
      "https://localhost./x.png",
      "http://cdn.example.com/x.png",
      "https://user:pw@cdn.example.com/x.png",
      "https://cdn.example.com:8443/x.png",
    ];
    for (const url of targets) {
      const current = (await read()) as { version: number };
      await refusedUnchanged(
        read,
        () =>
          api(`/api/products/${product.id}/images`, {
            method: "POST",
            json: { url, alt: "x" },
            headers: { "if-match": `"v${current.version}"` },
          }),
        [422],
        url,
      );
    }
  });
});

describe("API8 security misconfiguration", { timeout: 120_000 }, () => {
  it("marks every answer that carries a token or personal data no-store", async () => {
    const user = await registerAndLogin();
    const signIn = await login(user.email, user.password);
    const answers: [string, Response][] = [
      ["sign-in", signIn],
      ["refresh", await api("/api/auth/refresh", { method: "POST", token: null, json: { refreshToken: user.refreshToken } })],
      [
        "sign-up",
        await api("/api/users/register", {
          method: "POST",
          token: null,
          json: { email: uniqueEmail("ns"), password: strongPassword(), name: "N" },
          headers: { "cf-connecting-ip": clientIp() },
        }),
      ],
      ["me", await api("/api/users/me", { token: user.accessToken })],
      ["account", await api(`/api/users/${user.userId}`, { token: user.accessToken })],
      ["addresses", await api(`/api/users/${user.userId}/addresses`, { token: user.accessToken })],
      ["sessions", await api("/api/auth/sessions", { token: user.accessToken })],
      ["orders", await api("/api/orders", { token: user.accessToken })],
      ["cart", await api("/api/cart", { token: user.accessToken })],
      ["an error", await api("/api/users/me", { token: null })],
    ];
    for (const [what, res] of answers) expect(res.headers.get("cache-control"), what).toBe("no-store");
    // Public keys may be cached: they say so themselves.
    expect((await api("/api/auth/.well-known/jwks.json", { token: null })).headers.get("cache-control")).toMatch(/public/);
  });
});

describe("API10 unsafe consumption", { timeout: 120_000 }, () => {
  it("refuses forged payment webhooks with one answer that says nothing of why, and applies nothing", async () => {
    const p = await authorize({ paymentMethodId: "pm_card_async" });
    const read = async () => (await withTestDb((db) => getPayment(db, p.id)))?.status;
    const body = sandboxEventBody({ type: "payment.succeeded", object: { id: p.providerPaymentId } });
    const details = new Set<string>();
    for (const forged of [
      () => sendWebhook(body, { header: null }),
      () => sendWebhook(body, { secrets: ["whsec_not_ours_0123456789"] }),
      () => sendWebhook(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      () => sendWebhook(body, { header: "t=123" }),
    ]) {
      const res = await refusedUnchanged(read, forged, [401], "forged webhook");
      details.add(((await res.json()) as { detail: string }).detail);
    }
    expect([...details]).toEqual(["The webhook signature does not verify"]);
  });
});
