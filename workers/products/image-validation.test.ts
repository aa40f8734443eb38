import { describe, expect, it } from "vitest";
import { ApiError } from "../platform/errors.ts";
import { mediaKeyFor, sniffImageType, validateImage } from "./image-validation.ts";
import { PNG_1PX } from "./test-fixtures.ts";

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function problem(fn: () => unknown): { status: number; code: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, code: err.code };
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("image validation", () => {
  it("recognises the accepted formats by their bytes", () => {
    expect(sniffImageType(PNG_1PX)).toBe("image/png");
    expect(sniffImageType(JPEG)).toBe("image/jpeg");
    expect(sniffImageType(ascii("GIF89a...."))).toBe("image/gif");
    expect(sniffImageType(ascii("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageType(ascii("\0\0\0\x1cftypavif"))).toBe("image/avif");
    expect(sniffImageType(ascii("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
  });

  it("accepts matching bytes and declared type, parameters ignored", () => {
    expect(validateImage(PNG_1PX, "image/png", 1000)).toBe("image/png");
    expect(validateImage(JPEG, "IMAGE/JPEG; charset=binary", 1000)).toBe("image/jpeg");
  });

  it("refuses other types, mismatched bytes, empty and oversized uploads", () => {
    expect(problem(() => validateImage(ascii("<svg/>"), "image/svg+xml", 1000))).toEqual({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
    expect(problem(() => validateImage(PNG_1PX, undefined, 1000))).toEqual({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
    expect(problem(() => validateImage(PNG_1PX, "image/jpeg", 1000))).toEqual({ status: 422, code: "IMAGE_TYPE_MISMATCH" });
    expect(problem(() => validateImage(ascii("<html>"), "image/png", 1000))).toEqual({ status: 422, code: "IMAGE_TYPE_MISMATCH" });
    expect(problem(() => validateImage(new Uint8Array(), "image/png", 1000))).toEqual({ status: 422, code: "IMAGE_EMPTY" });
    expect(problem(() => validateImage(PNG_1PX, "image/png", PNG_1PX.byteLength - 1))).toEqual({ status: 413, code: "PAYLOAD_TOO_LARGE" });
  });

  it("keys an image by its content", async () => {
    const a = await mediaKeyFor(PNG_1PX, "image/png");
    expect(a.key).toMatch(/^[0-9a-f]{64}\.png$/);
    expect((await mediaKeyFor(PNG_1PX.slice(), "image/png")).key).toBe(a.key);
    expect((await mediaKeyFor(JPEG, "image/jpeg")).key).not.toBe(a.key);
  });
});
