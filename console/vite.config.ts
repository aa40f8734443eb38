/**
 * The merchant console: a single-page app served by the Worker's static
 * assets at /admin. The page lives at the root of dist/ (the single-page
 * fallback serves it for every /admin/... URL) and its files under
 * dist/admin/assets/, so nothing the page loads leaves the /admin path or the origin.
 * The build also writes the API reference page's files under dist/api-reference/.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { apiReferenceAssets } from "./api-reference-assets.ts";

export default defineConfig({
  root: import.meta.dirname,
  // Files are written under admin/assets/, so their absolute URLs (/admin/assets/…) stay on the console's path.
  base: "/",
  // The API reference page's Swagger UI files, served from this origin (api-reference-assets.ts).
  plugins: [react(), apiReferenceAssets()],
  build: {
    outDir: "dist",
    assetsDir: "admin/assets",
    emptyOutDir: true,
    // No inline script or style may appear in the page: the CSP forbids both.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
    reportCompressedSize: false,
  },
});
