/** The users route family over HTTP: registration, profiles, roles, deletion, and who may do what. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { login, outboxEvents, registerAndLogin, strongPassword, uniqueEmail } from "../../test/helpers/identity.ts";

type Problem = { status: number; code: string; errors?: { field: string; message: string }[] };
type User = {
  id: string;
  email: string;
  emailVerified: boolean;
  pendingEmail: string | null;
  name: string;
  phone: string | null;
  locale: string;
  role: string;
  version: number;
  notificationPreferences: Record<string, boolean>;
};

const register = (json: Record<string, unknown>) => api("/api/users/register", { method: "POST", token: null, json });
const accountCount = (email: string) =>
  withTestDb(async (db) =>
    Number((await db.execute<{ n: string }>(sql`select count(*) as n from users.users where email = ${email}`)).rows[0]!.n),
  );

describe("registration", () => {
  it("creates an account, hashes the password and requests a verification mail through the outbox", async () => {
    const email = uniqueEmail("reg");
    const res = await register({ email, password: strongPassword(), name: "Ana Lima", phone: "+351912345678", locale: "pt-PT" });
    expect(res.status).toBe(201);
    const user = (await res.json()) as User;
    expect(user).toMatchObject({
      email,
      name: "Ana Lima",
      phone: "+351912345678",
      locale: "pt-PT",
      role: "customer",
      emailVerified: false,
      version: 1,
    });
    expect(user.id).toMatch(/^usr_/);
    expect(res.headers.get("location")).toBe(`/api/users/${user.id}`);
    expect(JSON.stringify(user)).not.toContain("password");

    const stored = await withTestDb(
      async (db) =>
        (await db.execute<{ password_hash: string }>(sql`select password_hash from users.users where id = ${user.id}`)).rows[0]!
          .password_hash,
    );
    expect(stored).toMatch(/^pbkdf2-sha256\$i=\d+,r=\d+\$/);

    const [registered] = await outboxEvents(user.id, "UserRegistered");
    expect(registered!.payload).toEqual({ userId: user.id, role: "customer", locale: "pt-PT", via: "registration", emailVerified: false });
    expect(JSON.stringify(registered!.payload)).not.toContain(email);
    const [mail] = await outboxEvents<{ email: string; token: string }>(user.id, "EmailVerificationRequested");
    expect(mail!.payload.email).toBe(email);
    expect(mail!.payload.token).toMatch(/^ev_/);
  });

  it("answers a repeated email, in any case, with 409 and never makes a second account", async () => {
    const email = uniqueEmail("dup");
    expect((await register({ email, password: strongPassword(), name: "First" })).status).toBe(201);
    const again = await register({ email: email.toUpperCase(), password: strongPassword(), name: "Second" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Problem).code).toBe("EMAIL_TAKEN");
    expect(await accountCount(email)).toBe(1);
  });

  it("gives two racing registrations of one email exactly one account", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all(
      // Five: the sign-up throttle allows five sign-ups per address signed up in an hour.
      Array.from({ length: 5 }, (_, i) =>
        register({ email: i % 2 ? email : email.toUpperCase(), password: strongPassword(), name: `Racer ${i}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await accountCount(email)).toBe(1);
  });

  it("refuses weak passwords with 422 naming the field, and writes nothing", async () => {
    for (const password of ["short-pw", "password1234!", "P@ssw0rd2024!", "123456789012", "aaaaaaaaaaaaaaaa", "qwertyuiop123"]) {
      const email = uniqueEmail("weak");
      const res = await register({ email, password, name: "Weak" });
      expect(res.status, password).toBe(422);
      const body = (await res.json()) as Problem;
      expect(body.errors!.map((e) => e.field)).toEqual(["password"]);
      expect(await accountCount(email)).toBe(0);
    }
    const email = uniqueEmail("personal");
    const res = await register({ email, password: `${email.split("@")[0]}-and-more`, name: "Personal" });
    expect(((await res.json()) as Problem).code).toBe("WEAK_PASSWORD");
  });

  it("accepts a 128-character password and refuses 129", async () => {
    const long = "correct-unusual-words-".repeat(6).slice(0, 128);
    expect((await register({ email: uniqueEmail("long"), password: long, name: "Long" })).status).toBe(201);
    expect((await register({ email: uniqueEmail("long"), password: long + "x", name: "Long" })).status).toBe(422);
  });

  it("rejects fields a caller may not set (role, verification, ids) instead of applying them", async () => {
    for (const extra of [
      { role: "admin" },
      { emailVerified: true },
      { id: "usr_01JB8Y3Z5N7Q2W4E6R8T0Y2U4I" },
      { createdAt: "2020-01-01T00:00:00Z" },
    ]) {
      const email = uniqueEmail("mass");
      const res = await register({ email, password: strongPassword(), name: "Mass", ...extra });
      expect(res.status).toBe(422);
      expect(await accountCount(email)).toBe(0);
    }
  });

  it("validates the profile fields", async () => {
    const res = await register({ email: "not-an-email", password: strongPassword(), name: "", phone: "12345", locale: "english" });
    expect(res.status).toBe(422);
    const fields = ((await res.json()) as Problem).errors!.map((e) => e.field).sort();
    expect(fields).toEqual(["email", "locale", "name", "phone"]);
  });
});

describe("reading accounts", () => {
  it("shows a user their own record at /me and at its id", async () => {
    const me = await registerAndLogin();
    const a = (await (await api("/api/users/me", { token: me.accessToken })).json()) as User;
    const b = (await (await api(`/api/users/${me.userId}`, { token: me.accessToken })).json()) as User;
    expect(a.id).toBe(me.userId);
    expect(b).toEqual(a);
  });

  it("answers another customer's id with 404 on every user route, and changes nothing", async () => {
    const [alice, bob] = await Promise.all([registerAndLogin(), registerAndLogin()]);
    const as = { token: alice.accessToken };
    const target = `/api/users/${bob.userId}`;
    const attempts = [
      api(target, as),
      api(target, { ...as, method: "PUT", json: { name: "Hijacked" } }),
      api(target, { ...as, method: "DELETE" }),
      api(`${target}/addresses`, as),
      api(`${target}/addresses`, {
        ...as,
        method: "POST",
        json: { recipient: "X", line1: "1 Road", city: "Lisbon", postalCode: "1000-001", country: "PT" },
      }),
      api(`${target}/addresses/adr_01JB8Y3Z5N7Q2W4E6R8T0Y2U4I`, { ...as, method: "PATCH", json: { city: "Porto" } }),
      api(`${target}/addresses/adr_01JB8Y3Z5N7Q2W4E6R8T0Y2U4I`, { ...as, method: "DELETE" }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const bobNow = (await (await api(target, { token: bob.accessToken })).json()) as User;
    expect(bobNow).toMatchObject({ name: "Test customer", version: 1 });
    expect((await api("/api/users?limit=5", as)).status).toBe(403);
  });

  it("lets support read others but not change them, and admin do both", async () => {
    const [customer, support, analyst, admin] = await Promise.all([
      registerAndLogin(),
      registerAndLogin("support"),
      registerAndLogin("analyst"),
      registerAndLogin("admin"),
    ]);
    const target = `/api/users/${customer.userId}`;
    expect((await api(target, { token: support.accessToken })).status).toBe(200);
    expect((await api(target, { token: analyst.accessToken })).status).toBe(404);
    const write = await api(target, { token: support.accessToken, method: "PUT", json: { name: "Support edit" } });
    expect(write.status).toBe(403);
    expect((await api(target, { token: support.accessToken, method: "DELETE" })).status).toBe(403);
    const adminWrite = await api(target, { token: admin.accessToken, method: "PUT", json: { name: "Admin edit" } });
    expect(adminWrite.status).toBe(200);
    expect(((await adminWrite.json()) as User).name).toBe("Admin edit");
  });

  it("lists accounts for support and admin, a page at a time", async () => {
    const support = await registerAndLogin("support");
    const first = await api("/api/users?limit=2", { token: support.accessToken });
    expect(first.status).toBe(200);
    const page = (await first.json()) as { items: User[]; nextCursor: string };
    expect(page.items).toHaveLength(2);
    const next = (await (await api(`/api/users?limit=2&cursor=${page.nextCursor}`, { token: support.accessToken })).json()) as {
      items: User[];
    };
    expect(next.items[0]!.id < page.items[1]!.id).toBe(true);
    const byEmail = (await (
      await api(`/api/users?email=${encodeURIComponent(support.email.toUpperCase())}`, { token: support.accessToken })
    ).json()) as { items: User[] };
    expect(byEmail.items.map((u) => u.id)).toEqual([support.userId]);
  });
});

describe("changing a profile", () => {
  it("applies the allowed fields, bumps the version and announces the field names only", async () => {
    const me = await registerAndLogin();
    const res = await api(`/api/users/${me.userId}`, {
      token: me.accessToken,
      method: "PUT",
      json: { name: "New Name", phone: "+14155550123", locale: "en-GB", notificationPreferences: { marketingEmails: true } },
    });
    expect(res.status).toBe(200);
    const user = (await res.json()) as User;
    expect(user).toMatchObject({ name: "New Name", phone: "+14155550123", locale: "en-GB", version: 2 });
    expect(user.notificationPreferences).toEqual({ orderUpdates: true, marketingEmails: true, productRecommendations: false, sms: false });
    const [event] = await outboxEvents<{ changed: string[]; version: number }>(me.userId, "UserProfileUpdated");
    expect(event!.payload).toEqual({ userId: me.userId, changed: ["name", "phone", "locale", "notificationPreferences"], version: 2 });
    expect(JSON.stringify(event!.payload)).not.toContain("New Name");
  });

  it("refuses a role change by anyone but an admin, also for their own account", async () => {
    const [me, support] = await Promise.all([registerAndLogin(), registerAndLogin("support")]);
    const self = await api(`/api/users/${me.userId}`, { token: me.accessToken, method: "PUT", json: { role: "admin", name: "Sneaky" } });
    expect(self.status).toBe(403);
    expect(((await self.json()) as Problem).code).toBe("ROLE_CHANGE_FORBIDDEN");
    const bySupport = await api(`/api/users/${support.userId}`, { token: support.accessToken, method: "PUT", json: { role: "admin" } });
    expect(bySupport.status).toBe(403);
    const after = (await (await api(`/api/users/${me.userId}`, { token: me.accessToken })).json()) as User;
    expect(after).toMatchObject({ role: "customer", name: "Test customer" });
    // And a fresh sign-in still carries the old role.
    const tokens = (await (await login(me.email, me.password)).json()) as { accessToken: string };
    expect((await api("/api/users?limit=1", { token: tokens.accessToken })).status).toBe(403);
  });

  it("rejects the fields nobody sets through this route", async () => {
    const me = await registerAndLogin();
    for (const json of [
      { emailVerified: true },
      { id: "usr_01JB8Y3Z5N7Q2W4E6R8T0Y2U4I" },
      { createdAt: "2020-01-01T00:00:00Z" },
      { passwordHash: "x" },
      { version: 99 },
      {},
    ]) {
      expect((await api(`/api/users/${me.userId}`, { token: me.accessToken, method: "PUT", json })).status).toBe(422);
    }
  });

  it("lets an admin change a role, which the next refresh carries", async () => {
    const [me, admin] = await Promise.all([registerAndLogin(), registerAndLogin("admin")]);
    const res = await api(`/api/users/${me.userId}`, { token: admin.accessToken, method: "PUT", json: { role: "support" } });
    expect(((await res.json()) as User).role).toBe("support");
    const [event] = await outboxEvents(me.userId, "UserRoleChanged");
    expect(event!.payload).toEqual({ userId: me.userId, from: "customer", to: "support", changedBy: admin.userId });
    const refreshed = (await (
      await api("/api/auth/refresh", { method: "POST", token: null, json: { refreshToken: me.refreshToken } })
    ).json()) as { accessToken: string };
    expect((await api("/api/users?limit=1", { token: refreshed.accessToken })).status).toBe(200);
  });

  it("moves the email only to a free address, and only once the new address confirms it", async () => {
    const [me, other] = await Promise.all([registerAndLogin(), registerAndLogin()]);
    const taken = await api(`/api/users/${me.userId}`, {
      token: me.accessToken,
      method: "PUT",
      json: { email: other.email.toUpperCase(), currentPassword: me.password },
    });
    expect(taken.status).toBe(409);
    const email = uniqueEmail("moved");
    // The token alone, or with a wrong password, does not move the account.
    for (const extra of [{}, { currentPassword: "not-the-password" }]) {
      const refused = await api(`/api/users/${me.userId}`, { token: me.accessToken, method: "PUT", json: { email, ...extra } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe("REAUTHENTICATION_REQUIRED");
    }
    const res = await api(`/api/users/${me.userId}`, {
      token: me.accessToken,
      method: "PUT",
      json: { email, currentPassword: me.password },
    });
    // The account keeps its address (sign-in, resets, mail) until the new one answers.
    expect((await res.json()) as User).toMatchObject({ email: me.email, pendingEmail: email });
    expect((await login(email, me.password)).status).toBe(401);
    const [asked] = await outboxEvents<{ email: string; token: string }>(me.userId, "EmailChangeRequested");
    expect(asked!.payload.email).toBe(email);
    const confirmed = await api("/api/auth/email-change/confirm", { method: "POST", token: null, json: { token: asked!.payload.token } });
    expect(await confirmed.json()).toEqual({ userId: me.userId, email, sessionsEnded: 0 });
    expect((await login(email, me.password)).status).toBe(200);
    expect((await login(me.email, me.password)).status).toBe(401);
  });
});

describe("deleting an account", () => {
  it("erases the personal data, revokes every session and lets the address be used again", async () => {
    const me = await registerAndLogin();
    await api(`/api/users/${me.userId}/addresses`, {
      token: me.accessToken,
      method: "POST",
      json: { recipient: "Me", line1: "1 Road", city: "Lisbon", postalCode: "1000-001", country: "PT" },
    });
    const second = (await (await login(me.email, me.password)).json()) as { refreshToken: string };

    expect((await api(`/api/users/${me.userId}`, { token: me.accessToken, method: "DELETE" })).status).toBe(204);

    const row = await withTestDb(
      async (db) =>
        (
          await db.execute<Record<string, unknown>>(
            sql`select email, name, phone, password_hash, deleted_at from users.users where id = ${me.userId}`,
          )
        ).rows[0]!,
    );
    expect(row).toMatchObject({ email: null, name: "", phone: null, password_hash: null });
    expect(row.deleted_at).not.toBeNull();
    const leftovers = await withTestDb(
      async (db) =>
        (
          await db.execute<{ n: string }>(
            sql`select (select count(*) from users.addresses where user_id = ${me.userId}) + (select count(*) from auth.sessions where user_id = ${me.userId} and revoked_at is null) as n`,
          )
        ).rows[0]!.n,
    );
    expect(Number(leftovers)).toBe(0);

    for (const refreshToken of [me.refreshToken, second.refreshToken]) {
      expect((await api("/api/auth/refresh", { method: "POST", token: null, json: { refreshToken } })).status).toBe(401);
    }
    // The access token stops at once: the revocation check finds its session revoked.
    expect((await api("/api/users/me", { token: me.accessToken })).status).toBe(401);
    expect((await login(me.email, me.password)).status).toBe(401);
    const [event] = await outboxEvents(me.userId, "UserDeleted");
    expect(event!.payload).toEqual({ userId: me.userId, deletedBy: "self" });

    expect((await register({ email: me.email, password: strongPassword(), name: "Newcomer" })).status).toBe(201);
  });

  it("lets an admin delete another account, and answers 404 the second time", async () => {
    const [me, admin] = await Promise.all([registerAndLogin(), registerAndLogin("admin")]);
    expect((await api(`/api/users/${me.userId}`, { token: admin.accessToken, method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/users/${me.userId}`, { token: admin.accessToken, method: "DELETE" })).status).toBe(404);
    expect((await api(`/api/users/${me.userId}`, { token: admin.accessToken })).status).toBe(404);
    const [event] = await outboxEvents(me.userId, "UserDeleted");
    expect(event!.payload).toMatchObject({ deletedBy: "admin" });
  });
});

describe("the operations token", () => {
  it("acts as admin but is not a user", async () => {
    const me = await registerAndLogin();
    expect((await api(`/api/users/${me.userId}`)).status).toBe(200);
    const res = await api("/api/users/me");
    expect(res.status).toBe(403);
    expect(((await res.json()) as Problem).code).toBe("USER_TOKEN_REQUIRED");
  });
});
