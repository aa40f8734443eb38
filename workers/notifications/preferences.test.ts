import { describe, expect, it } from "vitest";
import { type DecisionInput, decide } from "./preferences.ts";

const prefs = { orderUpdates: true, marketingEmails: false, productRecommendations: false, sms: false };
const base: DecisionInput = {
  channel: "email",
  category: "transactional",
  hasAddress: true,
  preferences: prefs,
  emailVerified: true,
  suppressed: false,
};
const optedOutOfEverything = { orderUpdates: false, marketingEmails: false, productRecommendations: false, sms: false };

describe("decide", () => {
  it("sends transactional and security mail even to a user who opted out of everything", () => {
    expect(decide({ ...base, preferences: optedOutOfEverything })).toEqual({ send: true });
    expect(decide({ ...base, category: "security", preferences: optedOutOfEverything })).toEqual({ send: true });
    expect(decide({ ...base, category: "staff", preferences: optedOutOfEverything })).toEqual({ send: true });
  });

  it("follows the order-updates opt-out for shipping progress on every channel", () => {
    expect(decide({ ...base, category: "order_updates" })).toEqual({ send: true });
    expect(decide({ ...base, category: "order_updates", preferences: optedOutOfEverything })).toEqual({
      send: false,
      reason: "opted_out",
      record: true,
    });
    expect(decide({ ...base, channel: "push", category: "order_updates", preferences: optedOutOfEverything })).toMatchObject({
      send: false,
      reason: "opted_out",
    });
  });

  it("uses SMS only with the SMS opt-in, even for transactional messages", () => {
    expect(decide({ ...base, channel: "sms" })).toEqual({ send: false, reason: "not_opted_in", record: true });
    expect(decide({ ...base, channel: "sms", preferences: { ...prefs, sms: true } })).toEqual({ send: true });
    expect(decide({ ...base, channel: "sms", preferences: null })).toMatchObject({ send: false, reason: "not_opted_in" });
  });

  it("sends marketing only with the opt-in, and mail only to a verified address", () => {
    expect(decide({ ...base, category: "marketing" })).toMatchObject({ send: false, reason: "opted_out" });
    const optedIn = { ...prefs, marketingEmails: true };
    expect(decide({ ...base, category: "marketing", preferences: optedIn })).toEqual({ send: true });
    expect(decide({ ...base, category: "marketing", preferences: optedIn, emailVerified: false })).toMatchObject({
      send: false,
      reason: "unverified",
    });
    expect(decide({ ...base, category: "marketing", preferences: null })).toMatchObject({ send: false, reason: "opted_out" });
  });

  it("skips a channel without an address quietly (nothing recorded)", () => {
    expect(decide({ ...base, hasAddress: false })).toEqual({ send: false, reason: "no_address", record: false });
    expect(decide({ ...base, channel: "push", hasAddress: false, category: "security" })).toEqual({
      send: false,
      reason: "no_address",
      record: false,
    });
  });

  it("suppresses bounced or complaining addresses, except for security messages", () => {
    expect(decide({ ...base, suppressed: true })).toMatchObject({ send: false, reason: "suppressed" });
    expect(decide({ ...base, category: "security", suppressed: true })).toEqual({ send: true });
  });
});
