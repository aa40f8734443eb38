/**
 * Product images: uploads go to R2 under their content hash (one object per
 * distinct image, however many products use it) and are served from the
 * Worker with year-long immutable caching, since a key's bytes never change;
 * external images are https URLs that pass the private-address checks and
 * are never fetched. Adding or removing an image is a new product version
 * (the snapshot's imageUrl is the first image) and a ProductUpdated event.
 */
import { sql } from "drizzle-orm";
import { productImages } from "../../db/schema/catalog.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { AppContext } from "../platform/context.ts";
import type { Database, Tx } from "../platform/db.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { failIfInjected } from "../platform/faults.ts";
import { newId } from "../platform/ids.ts";
import { errorFields, log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { CatalogErrors } from "./errors.ts";
import { ifNoneMatchHits } from "./etag.ts";
import { checkExternalImageUrl } from "./external-url.ts";
import { type ImageType, MEDIA_KEY_PATTERN, mediaKeyFor } from "./image-validation.ts";
import { bumpProductVersions, emitProductsUpdated, lockProduct, type WriteScope } from "./write-support.ts";

export const MAX_IMAGES_PER_PRODUCT = 20;
const IMMUTABLE = "public, max-age=31536000, immutable";

export type ImageSource = { kind: "upload"; bytes: Uint8Array; type: ImageType } | { kind: "external"; url: string };

/** Stores an upload in R2 (skipped when the same bytes are already there) and returns its key. */
async function storeUpload(rt: Pick<Runtime, "blobs">, bytes: Uint8Array, type: ImageType): Promise<string> {
  const { key, sha256 } = await mediaKeyFor(bytes, type);
  const media = rt.blobs.bucket("MEDIA");
  if (!(await media.head(key))) {
    await media.put(key, bytes, { httpMetadata: { contentType: type, cacheControl: IMMUTABLE }, sha256 });
  }
  return key;
}

/** Adds an image to a product; `position` defaults to after the last one. Returns the image id. */
export async function addImage(
  db: Database,
  rt: Pick<Runtime, "blobs" | "vars">,
  productId: string,
  versions: number[],
  source: ImageSource,
  options: { alt: string; position?: number },
  scope: WriteScope,
): Promise<string> {
  let externalUrl: string | null = null;
  if (source.kind === "external") {
    const checked = checkExternalImageUrl(source.url);
    if (!checked.ok)
      throw new ApiError(CatalogErrors.IMAGE_URL_REFUSED, `The image URL is refused: ${checked.reason}`, {
        errors: [{ field: "url", message: checked.reason }],
      });
    externalUrl = checked.url;
  }
  // The object goes to R2 before the transaction: a failed transaction leaves an unreferenced object, never a reference to a missing one.
  const mediaKey = source.kind === "upload" ? await storeUpload(rt, source.bytes, source.type) : null;
  const id = newId("img");
  await transactionWithEvents(
    db,
    async (tx, events) => {
      await lockProduct(tx, productId, versions);
      const count = await imageCount(tx, productId);
      if (count.n >= MAX_IMAGES_PER_PRODUCT)
        throw new ApiError(CatalogErrors.TOO_MANY_IMAGES, `A product has at most ${MAX_IMAGES_PER_PRODUCT} images`);
      if (mediaKey && source.kind === "upload") {
        await tx.execute(
          sql`insert into catalog.media (key, content_type, size_bytes) values (${mediaKey}, ${source.type}, ${source.bytes.byteLength}) on conflict (key) do nothing`,
        );
      }
      await tx
        .insert(productImages)
        .values({ id, productId, mediaKey, externalUrl, alt: options.alt, position: options.position ?? count.next });
      // A failure here (tests inject one) must roll the reference back and leave the stored object harmless.
      await failIfInjected(rt, db, "catalog:add-image", productId);
      await bumpProductVersions(tx, [productId]);
      await emitProductsUpdated(tx, events, [productId], ["images"], scope);
    },
    scope.afterCommit,
  );
  return id;
}

async function imageCount(tx: Tx, productId: string): Promise<{ n: number; next: number }> {
  const r = await tx.execute<{ n: number; next: number }>(
    sql`select count(*)::int as n, coalesce(max(position) + 1, 0)::int as next from catalog.product_images where product_id = ${productId}`,
  );
  return r.rows[0]!;
}

export async function removeImage(db: Database, productId: string, imageId: string, versions: number[], scope: WriteScope): Promise<void> {
  await transactionWithEvents(
    db,
    async (tx, events) => {
      await lockProduct(tx, productId, versions);
      const removed = await tx.execute(
        sql`delete from catalog.product_images where id = ${imageId} and product_id = ${productId} returning id`,
      );
      if (removed.rows.length === 0) throw notFound("image");
      await bumpProductVersions(tx, [productId]);
      await emitProductsUpdated(tx, events, [productId], ["images"], scope);
    },
    scope.afterCommit,
  );
}

/**
 * GET /api/media/{key}. The key is the content hash, so the ETag follows from
 * it and a revalidation is answered without touching R2 or the cache.
 */
export async function serveMedia(c: AppContext, key: string): Promise<Response> {
  if (!MEDIA_KEY_PATTERN.test(key)) throw notFound("image");
  const etag = `"${key.slice(0, 64)}"`;
  if (ifNoneMatchHits(c.req.header("if-none-match"), etag))
    return new Response(null, { status: 304, headers: { etag, "cache-control": IMMUTABLE } });
  const cacheKey = new Request(new URL(`/api/media/${key}`, c.req.url).toString());
  const cache = c.env.cache;
  const hit = await cache.match(cacheKey).catch(() => undefined);
  if (hit) return new Response(hit.body, { status: 200, headers: withSafety(hit.headers, "HIT") });
  const object = await c.env.blobs.bucket("MEDIA").get(key);
  if (!object) throw notFound("image");
  const headers = new Headers({
    etag,
    "cache-control": IMMUTABLE,
    "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
    "content-length": String(object.size),
  });
  const [forCache, forClient] = object.body.tee();
  c.env.waitUntil(
    cache
      .put(cacheKey, new Response(forCache, { headers }))
      .catch((err) => log.warn("catalog.media_cache_put_failed", { key, ...errorFields(err) })),
  );
  return new Response(forClient, { status: 200, headers: withSafety(headers, "MISS") });
}

/** Images are served from the API's origin: they must never be sniffed or run as anything else. */
function withSafety(source: Headers, cache: "HIT" | "MISS"): Headers {
  const headers = new Headers(source);
  headers.set("x-content-type-options", "nosniff");
  headers.set("content-security-policy", "default-src 'none'; sandbox");
  headers.set("content-disposition", "inline");
  headers.set("x-cache", cache);
  return headers;
}
