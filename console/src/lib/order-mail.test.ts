import { describe, expect, it } from "vitest";
import { resendableMail } from "./order-mail.ts";

describe("resendableMail", () => {
  it("sends the received mail while pending and the confirmation after, nothing once cancelled or for a guest", () => {
    expect(resendableMail({ status: "pending", userId: "usr_1" })).toBe("order-created");
    for (const status of ["confirmed", "shipped", "delivered", "return_requested"])
      expect(resendableMail({ status, userId: "usr_1" })).toBe("order-confirmed");
    expect(resendableMail({ status: "cancelled", userId: "usr_1" })).toBeNull();
    expect(resendableMail({ status: "cancelling", userId: "usr_1" })).toBeNull();
    expect(resendableMail({ status: "confirmed", userId: "gst_01ABC" })).toBeNull();
  });
});
