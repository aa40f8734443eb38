/** Error codes of the products family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const CatalogErrors = defineErrors({
  UNKNOWN_SKU: { status: 422, title: "Unknown SKU" },
  SKU_NOT_SELLABLE: { status: 409, title: "SKU not sellable" },
  BRAND_SLUG_TAKEN: { status: 409, title: "Brand slug taken" },
  BRAND_IN_USE: { status: 409, title: "Brand in use" },
  CATEGORY_SLUG_TAKEN: { status: 409, title: "Category slug taken" },
  CATEGORY_NOT_EMPTY: { status: 409, title: "Category not empty" },
  VERSION_CONFLICT: { status: 409, title: "Version conflict" },
  IMAGE_EMPTY: { status: 422, title: "Image empty" },
  IMAGE_TYPE_MISMATCH: { status: 422, title: "Image type mismatch" },
  IMAGE_URL_REFUSED: { status: 422, title: "Image url refused" },
  TOO_MANY_IMAGES: { status: 409, title: "Too many images" },
  SLUG_TAKEN: { status: 409, title: "Slug taken" },
  SKU_TAKEN: { status: 409, title: "SKU taken" },
});
