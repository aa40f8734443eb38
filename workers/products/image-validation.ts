/**
 * Checks on uploaded images: the declared type must be one of the raster
 * formats browsers show (no SVG, which can carry script), the bytes must
 * really be that format (magic numbers), and the size must be within the
 * limit. Content-addressed keys come from the bytes' SHA-256.
 */
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { CatalogErrors } from "./errors.ts";

export const IMAGE_TYPES = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/avif": "avif",
} as const;
export type ImageType = keyof typeof IMAGE_TYPES;

/** Largest upload the catalog accepts; the gateway's body limit applies first when it is lower. */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;

export const MEDIA_KEY_PATTERN = /^[0-9a-f]{64}\.(jpg|png|gif|webp|avif)$/;

const startsWith = (b: Uint8Array, sig: number[], offset = 0) => sig.every((x, i) => b[offset + i] === x);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

/** The format the bytes are in, judged by their signature. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) return "image/gif";
  if (startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(b, ascii("ftyp"), 4) && (startsWith(b, ascii("avif"), 8) || startsWith(b, ascii("avis"), 8))) return "image/avif";
  return null;
}

export function isImageType(contentType: string): contentType is ImageType {
  return Object.hasOwn(IMAGE_TYPES, contentType);
}

/** The accepted image type a Content-Type names, or the 415 to answer. Checked before the body is read. */
export function imageTypeOf(declared: string | undefined): ImageType {
  const type = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  if (!isImageType(type)) {
    throw new ApiError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `Upload one of ${Object.keys(IMAGE_TYPES).join(", ")}, or send JSON with an external https URL`,
    );
  }
  return type;
}

/** Validates an upload and returns its type; throws the problem to answer otherwise. */
export function validateImage(bytes: Uint8Array, declared: string | undefined, maxBytes: number): ImageType {
  const type = imageTypeOf(declared);
  if (bytes.byteLength === 0) throw new ApiError(CatalogErrors.IMAGE_EMPTY, "The image is empty");
  if (bytes.byteLength > maxBytes) throw new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, `Images may be at most ${maxBytes} bytes`);
  const actual = sniffImageType(bytes);
  if (actual !== type) {
    throw new ApiError(
      CatalogErrors.IMAGE_TYPE_MISMATCH,
      actual ? `The bytes are ${actual}, not ${type}` : `The bytes are not a ${type} image`,
    );
  }
  return type;
}

export async function mediaKeyFor(bytes: Uint8Array, type: ImageType): Promise<{ key: string; sha256: string }> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { key: `${sha256}.${IMAGE_TYPES[type]}`, sha256 };
}
