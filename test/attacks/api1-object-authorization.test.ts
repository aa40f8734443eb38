/**
 * OWASP API1, broken object level authorization: every owned resource,
 * attacked by another customer, answers 404 and stays as it was.
 */
import { describe, expect, it } from "vitest";
import { api } from "../helpers/http.ts";
import { registerAndLogin } from "../helpers/identity.ts";
import { readJson, refusedUnchanged } from "./helpers.ts";

const address = { recipient: "Owner", line1: "1 Owner Road", city: "Lisbon", postalCode: "1000-001", country: "PT" };

describe("API1 object level authorization", { timeout: 120_000 }, () => {
  it("keeps another customer's account, addresses and sessions out of reach", async () => {
    const [owner, attacker] = await Promise.all([registerAndLogin(), registerAndLogin()]);
    const added = (await readJson(`/api/users/${owner.userId}/addresses`, owner.accessToken, {
      method: "POST",
      body: JSON.stringify(address),
      headers: { "content-type": "application/json" },
    })) as { id: string };
    const readOwner = () => readJson(`/api/users/${owner.userId}`, owner.accessToken);
    const as = (init: RequestInit & { json?: unknown }) => (path: string) => () => api(path, { ...init, token: attacker.accessToken });
    const cases: [string, () => Promise<Response>][] = [
      ["read the account", as({})(`/api/users/${owner.userId}`)],
      ["change the account", as({ method: "PUT", json: { name: "Taken over" } })(`/api/users/${owner.userId}`)],
      ["delete the account", as({ method: "DELETE" })(`/api/users/${owner.userId}`)],
      ["list the addresses", as({})(`/api/users/${owner.userId}/addresses`)],
      ["add an address", as({ method: "POST", json: address })(`/api/users/${owner.userId}/addresses`)],
      ["change an address", as({ method: "PATCH", json: { city: "Porto" } })(`/api/users/${owner.userId}/addresses/${added.id}`)],
      ["delete an address", as({ method: "DELETE" })(`/api/users/${owner.userId}/addresses/${added.id}`)],
      ["end a session", as({ method: "DELETE" })(`/api/auth/sessions/${owner.sessionId}`)],
    ];
    for (const [what, attack] of cases) await refusedUnchanged(readOwner, attack, [404], what);
    expect(((await readOwner()) as { addresses: unknown[] }).addresses).toHaveLength(1);
    expect((await api("/api/users/me", { token: owner.accessToken })).status).toBe(200);
  });

  it("keeps another customer's stock hold out of reach", async () => {
    const [owner, attacker] = await Promise.all([registerAndLogin(), registerAndLogin()]);
    const sku = `ATK-${crypto.randomUUID().slice(0, 10).toUpperCase()}`;
    expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 5 } })).status).toBe(200);
    const held = (await readJson("/api/inventory/reserve", owner.accessToken, {
      method: "POST",
      body: JSON.stringify({ lines: [{ sku, quantity: 2 }] }),
      headers: { "content-type": "application/json" },
    })) as { reservationId: string };
    const path = `/api/inventory/reservations/${held.reservationId}`;
    const read = () => readJson(path, owner.accessToken);
    const attack = (suffix: string, json?: unknown) => () =>
      api(`${path}${suffix}`, { method: suffix ? "POST" : "GET", token: attacker.accessToken, json });
    await refusedUnchanged(read, attack(""), [404], "read the hold");
    await refusedUnchanged(read, attack("/release", {}), [404], "release the hold");
    await refusedUnchanged(read, attack("/extend", { ttlSeconds: 600 }), [404], "extend the hold");
    await refusedUnchanged(read, attack("/commit"), [403], "commit the hold");
  });

  it("keeps another customer's push subscription out of reach, and never moves its endpoint", async () => {
    const [owner, attacker] = await Promise.all([registerAndLogin(), registerAndLogin()]);
    const subscription = await browserSubscription();
    const created = await api("/api/notifications/push/subscriptions", { method: "POST", token: owner.accessToken, json: subscription });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = () => readJson("/api/notifications/push/subscriptions", owner.accessToken);
    await refusedUnchanged(
      read,
      () => api(`/api/notifications/push/subscriptions/${id}`, { method: "DELETE", token: attacker.accessToken }),
      [404],
      "remove the subscription",
    );
    const taken = await refusedUnchanged(
      read,
      () => api("/api/notifications/push/subscriptions", { method: "POST", token: attacker.accessToken, json: subscription }),
      [409],
      "register the owner's endpoint",
    );
    expect(((await taken.json()) as { code: string }).code).toBe("PUSH_ENDPOINT_TAKEN");
    expect(((await readJson("/api/notifications/push/subscriptions", attacker.accessToken)) as { items: unknown[] }).items).toEqual([]);
    // The owner's own browser subscribing again still works.
    expect(
      (await api("/api/notifications/push/subscriptions", { method: "POST", token: owner.accessToken, json: subscription })).status,
    ).toBe(200);
  });
});

/** A browser's subscription: an FCM endpoint and a real P-256 public key with a 16-byte auth secret. */
async function browserSubscription() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const b64 = (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
  return {
    endpoint: `https://fcm.googleapis.com/fcm/send/${crypto.randomUUID()}`,
    keys: { p256dh: b64(raw), auth: b64(crypto.getRandomValues(new Uint8Array(16))) },
  };
}
