/**
 * The API reference page at /api/docs: Swagger UI over /api/openapi.json,
 * loaded entirely from this origin. The page is a static shell; its script,
 * style and starter are the Worker's static assets under /api-reference/
 * (copied from swagger-ui-dist by the console's build, see
 * console/api-reference-assets.ts), so the page needs no inline script and
 * its policy forbids anything from elsewhere.
 */
import type { Context } from "hono";

/** Where the static assets put the reference UI's files (outside /api/*, which reaches the Worker first). */
export const API_REFERENCE_ASSETS = "/api-reference";

/**
 * Only this origin's scripts, styles, images and API calls; no plugins, no
 * <base>, no forms posting elsewhere, never framed. Swagger UI styles its
 * elements through the DOM (not inline <style> or style attributes), so
 * 'self' suffices for styles too; its icons are data: images.
 */
export const API_REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

function page(specUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edge Commerce API</title>
<link rel="stylesheet" href="${API_REFERENCE_ASSETS}/swagger-ui.css">
</head>
<body>
<main id="api-reference" data-spec-url="${specUrl}"><noscript>The API reference needs JavaScript; the document itself is at <a href="${specUrl}">${specUrl}</a>.</noscript></main>
<script src="${API_REFERENCE_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${API_REFERENCE_ASSETS}/start.js"></script>
</body>
</html>
`;
}

/** The page's handler; `specUrl` is a path on this origin. */
export function apiReferencePage(specUrl: string) {
  const html = page(specUrl);
  return (c: Context) => {
    c.header("Content-Security-Policy", API_REFERENCE_CSP);
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "public, max-age=300");
    return c.html(html);
  };
}
