import { describe, expect, it } from "vitest";
import { emptyCart } from "./cart-rules.ts";
import { reminderContact, withContact } from "./guest-contact.ts";

const guest = emptyCart("crt_1", null, 1_000);
const contact = { email: "guest@example.com", marketingConsent: true, locale: "de" };

describe("a guest cart's reminder address", () => {
  it("is set and removed as a change of the cart (version and activity move on)", () => {
    const set = withContact(guest, contact, 2_000);
    expect(set).toMatchObject({ contact, version: guest.version + 1, lastActivityAt: 2_000 });
    const removed = withContact(set, null, 3_000);
    expect("contact" in removed).toBe(false);
    expect(removed).toMatchObject({ version: guest.version + 2, lastActivityAt: 3_000, lines: [] });
  });

  it("reaches CartAbandoned only with consent, and never from a user's cart", () => {
    expect(reminderContact(withContact(guest, contact, 2_000))).toEqual({ email: "guest@example.com", locale: "de" });
    expect(reminderContact(withContact(guest, { ...contact, marketingConsent: false }, 2_000))).toBeNull();
    expect(reminderContact(guest)).toBeNull();
    expect(reminderContact(withContact(emptyCart("crt_2", "usr_1", 1_000), contact, 2_000))).toBeNull();
  });
});
