/**
 * A build step of the console's Vite build: copies Swagger UI's bundle and
 * style from the swagger-ui-dist package into dist/api-reference/, where the
 * Worker's static assets serve them to the API reference page (/api/docs,
 * workers/platform/api-reference-page.ts). Copied at every build, never
 * committed, so an `npm update` of the package is all an upgrade takes.
 * The page's starter script is console/public/api-reference/start.js.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "vite";

const FILES = ["swagger-ui-bundle.js", "swagger-ui.css"];
/** A trailing sourceMappingURL comment, in its script or its stylesheet form. */
const SOURCE_MAP_COMMENT = /\n(\/\/# sourceMappingURL=\S+|\/\*# sourceMappingURL=[^*]+\*\/)\s*$/;

export function apiReferenceAssets(): Plugin {
  const dir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  return {
    name: "api-reference-assets",
    apply: "build",
    generateBundle() {
      for (const file of FILES) {
        // The bundle's trailing sourceMappingURL names a map that is not copied: drop it, so no browser asks for it.
        const source = readFileSync(path.join(dir, file), "utf8").replace(SOURCE_MAP_COMMENT, "\n");
        this.emitFile({ type: "asset", fileName: `api-reference/${file}`, source });
      }
    },
  };
}
