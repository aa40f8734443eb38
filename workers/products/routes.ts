/**
 * The catalog family's HTTP API: /api/products (products, categories,
 * brands, tags, discounts, images) and /api/media (uploaded images).
 * Fixed sub-paths are mounted before /{id} (an id or a slug), so `categories` and the
 * like are never read as a product slug (they are reserved slugs too).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/context.ts";
import { validationHook } from "../platform/problem-response.ts";
import { discountRoutes } from "./discounts-routes.ts";
import { pickProblems, raw } from "./http.ts";
import { serveMedia } from "./media.ts";
import { productRoutes } from "./products-routes.ts";
import { taxonomyRoutes } from "./taxonomy-routes.ts";

export const productsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
productsRoutes.route("/", taxonomyRoutes);
productsRoutes.route("/", discountRoutes);
productsRoutes.route("/", productRoutes);

const mediaRoute = createRoute({
  method: "get",
  path: "/{key}",
  tags: ["Products"],
  summary: "An uploaded image by its content-addressed key (cached for a year, immutable)",
  request: {
    params: z.object({
      key: z.string().max(80).openapi({ example: "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b.png" }),
    }),
  },
  responses: {
    200: { description: "The image", content: { "image/*": { schema: z.string().openapi({ type: "string", format: "binary" }) } } },
    304: { description: "Not modified" },
    ...pickProblems(404),
  },
});

export const mediaRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(mediaRoute, async (c) =>
  raw(await serveMedia(c, c.req.valid("param").key)),
);
