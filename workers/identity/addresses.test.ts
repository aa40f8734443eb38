/** The address book: one default shipping address whatever races, limits, and validation. */
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { outboxEvents, registerAndLogin } from "../../test/helpers/identity.ts";
import { MAX_ADDRESSES } from "./addresses.ts";

type Address = { id: string; city: string; isDefaultShipping: boolean; line2: string | null };
type User = { addresses: Address[]; defaultShippingAddressId: string | null };
const sample = (city: string, extra: Record<string, unknown> = {}) => ({
  recipient: "Ana Lima",
  line1: "Rua Augusta 1",
  city,
  postalCode: "1100-048",
  country: "PT",
  ...extra,
});

describe("addresses", () => {
  it("makes the first address the default, moves the default on request, and shows it on the profile", async () => {
    const me = await registerAndLogin();
    const base = `/api/users/${me.userId}/addresses`;
    const first = (await (await api(base, { token: me.accessToken, method: "POST", json: sample("Lisbon") })).json()) as Address;
    expect(first.isDefaultShipping).toBe(true);
    const second = (await (
      await api(base, { token: me.accessToken, method: "POST", json: sample("Porto", { line2: "2º Esq" }) })
    ).json()) as Address;
    expect(second).toMatchObject({ isDefaultShipping: false, line2: "2º Esq" });

    const moved = await api(`${base}/${second.id}`, { token: me.accessToken, method: "PATCH", json: { isDefaultShipping: true } });
    expect(((await moved.json()) as Address).isDefaultShipping).toBe(true);
    const profile = (await (await api("/api/users/me", { token: me.accessToken })).json()) as User;
    expect(profile.defaultShippingAddressId).toBe(second.id);
    expect(profile.addresses.filter((a) => a.isDefaultShipping).map((a) => a.id)).toEqual([second.id]);

    expect((await api(`${base}/${first.id}`, { token: me.accessToken, method: "DELETE" })).status).toBe(204);
    expect((await api(`${base}/${first.id}`, { token: me.accessToken, method: "DELETE" })).status).toBe(404);
    const list = (await (await api(base, { token: me.accessToken })).json()) as { items: Address[] };
    expect(list.items.map((a) => a.id)).toEqual([second.id]);
    const events = await outboxEvents<{ changed: string[] }>(me.userId, "UserProfileUpdated");
    expect(events.map((e) => e.payload.changed)).toEqual([["addresses"], ["addresses"], ["addresses"], ["addresses"]]);
  });

  it("keeps one default when several addresses claim it at once", async () => {
    const me = await registerAndLogin();
    const base = `/api/users/${me.userId}/addresses`;
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        api(base, { token: me.accessToken, method: "POST", json: sample(`City ${i}`, { isDefaultShipping: true }) }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const list = (await (await api(base, { token: me.accessToken })).json()) as { items: Address[] };
    expect(list.items).toHaveLength(5);
    expect(list.items.filter((a) => a.isDefaultShipping)).toHaveLength(1);
  });

  it("holds at most the limit", async () => {
    const me = await registerAndLogin();
    const base = `/api/users/${me.userId}/addresses`;
    for (let i = 0; i < MAX_ADDRESSES; i++)
      expect((await api(base, { token: me.accessToken, method: "POST", json: sample(`C${i}`) })).status).toBe(201);
    const over = await api(base, { token: me.accessToken, method: "POST", json: sample("One too many") });
    expect(over.status).toBe(409);
    expect(((await over.json()) as { code: string }).code).toBe("ADDRESS_LIMIT");
  });

  it("validates fields and refuses unknown ones", async () => {
    const me = await registerAndLogin();
    const base = `/api/users/${me.userId}/addresses`;
    const bad = await api(base, { token: me.accessToken, method: "POST", json: { ...sample("X"), country: "Portugal", userId: "usr_x" } });
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toContain("country");
  });

  it("lets support read but not write, and admin write", async () => {
    const [me, support, admin] = await Promise.all([registerAndLogin(), registerAndLogin("support"), registerAndLogin("admin")]);
    const base = `/api/users/${me.userId}/addresses`;
    expect((await api(base, { token: support.accessToken })).status).toBe(200);
    expect((await api(base, { token: support.accessToken, method: "POST", json: sample("Support") })).status).toBe(403);
    expect((await api(base, { token: admin.accessToken, method: "POST", json: sample("Admin") })).status).toBe(201);
  });
});
