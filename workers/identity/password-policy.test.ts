import { describe, expect, it } from "vitest";
import { checkPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-policy.ts";

describe("password policy", () => {
  it("bounds the length: at least 12, and a maximum of at least 64", () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(MAX_PASSWORD_LENGTH).toBeGreaterThanOrEqual(64);
    expect(checkPassword("tangerine-o")).toEqual(["too_short"]);
    expect(checkPassword("tangerine-ox")).toEqual([]);
    expect(checkPassword("v".repeat(3) + "elvet-oxygen-tangerine-".repeat(5).slice(0, 125))).toEqual([]);
    expect(checkPassword("x".repeat(129))).toEqual(["too_long"]);
  });

  it("counts characters, not bytes, so a long non-Latin passphrase fits", () => {
    const greek = "καλημέρα-κόσμε-πορτοκάλι";
    expect(checkPassword(greek)).toEqual([]);
    expect(checkPassword("日本語のパスワードです")).toEqual(["too_short"]);
  });

  it("refuses common passwords, also dressed up with digits, symbols and substitutions", () => {
    for (const pw of [
      "passwordpassword",
      "Password1234",
      "P@ssw0rd2024!",
      "iloveyou123456",
      "qwertyuiop123",
      "123456789012",
      "1q2w3e4r5t6y",
      "monkeymonkey",
      "letmein-letmein",
      "Welcome2024!!",
      "sunshine-princess",
      "correcthorsebatterystaple",
    ]) {
      expect(
        checkPassword(pw).some((p) => p === "too_common" || p === "too_repetitive"),
        pw,
      ).toBe(true);
    }
  });

  it("refuses passwords of very few distinct characters", () => {
    expect(checkPassword("aaaaaaaaaaaaaaa")).toEqual(["too_repetitive"]);
    expect(checkPassword("abababababab")).toEqual(["too_repetitive"]);
    expect(checkPassword("12341234123412")).toEqual(["too_repetitive"]);
  });

  it("refuses the account's own email or name inside the password", () => {
    expect(checkPassword("ana.lima-velvet-ladder", { email: "ana.lima@example.com" })).toEqual(["contains_personal_data"]);
    expect(checkPassword("oxygen-Figueiredo-77", { name: "Rita Figueiredo" })).toEqual(["contains_personal_data"]);
    expect(checkPassword("oxygen-velvet-ladder", { email: "ana@example.com", name: "Ana Lima" })).toEqual([]);
  });

  it("accepts unremarkable passphrases and random strings", () => {
    for (const pw of ["tangerine-oxygen-velvet", "glacier umbrella seventy", "x7#Kq9!mPz2@wL", "the cat sat on 4 mats"])
      expect(checkPassword(pw), pw).toEqual([]);
  });
});
