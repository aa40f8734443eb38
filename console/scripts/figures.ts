/**
 * `npm run console:figures`: the console's figures and screenshots, from a
 * fresh local stack (as `npm run dev` starts it, on free ports, with a
 * throwaway database and a little shop activity):
 *   - JavaScript and CSS sent for the first screen (the dashboard), gzip bytes;
 *   - time from navigation start until the dashboard's charts are drawn
 *     (the `dashboard:charts` performance mark in Chromium), over several loads;
 *   - a screenshot of every page into docs/console/.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { DEMO_PASSWORD } from "../../scripts/local/demo-writer.ts";
import { startDevServer } from "../../scripts/local/dev-server.ts";
import { freePort } from "../../scripts/local/ports.ts";
import { launch } from "../e2e/browser.ts";
import { placeConfirmedOrders, sellableSku } from "../e2e/shop.ts";

const LOADS = 7;
const repo = path.resolve(import.meta.dirname, "..", "..");
process.chdir(repo);
const dataDir = mkdtempSync(path.join(tmpdir(), "console-figures-"));
const server = await startDevServer({
  mode: "test",
  port: await freePort(),
  relayPort: await freePort(),
  dataDir,
  watch: false,
  quiet: true,
  say: () => undefined,
});
const base = server.url.replace("127.0.0.1", "localhost");
const browser = await launch();
try {
  const { orderIds } = await placeConfirmedOrders(base, 4);
  const { sku, productId } = await sellableSku(base, 1);
  const page = await browser.browser.newPage();
  const assets: string[] = [];
  page.on("response", (r) => {
    const type = r.request().resourceType();
    if (type === "script" || type === "stylesheet") assets.push(new URL(r.url()).pathname);
  });
  await page.goto(`${base}/admin`);
  await page.getByLabel("Email").fill("admin@example.com");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".chart canvas").first().waitFor();

  // First screen: every script and stylesheet the sign-in and the dashboard loaded, gzip-compressed as served.
  const files = [...new Set(assets)];
  const sizes = files.map((f) => {
    const bytes = readFileSync(path.join(repo, "console", "dist", f));
    return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = sizes.reduce((n, s) => n + s.gzip, 0);
  console.log("first screen (sign-in and dashboard), JavaScript and CSS:");
  for (const s of sizes) console.log(`  ${s.file}  ${(s.raw / 1024).toFixed(1)} KiB raw, ${(s.gzip / 1024).toFixed(1)} KiB gzip`);
  console.log(`  total ${(total / 1024).toFixed(1)} KiB gzip (${total} bytes)`);

  // Time to charts: a signed-in reload of /admin (session restored from the refresh cookie), mark read in the page.
  const times: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    await page.reload();
    await page.locator(".chart canvas").first().waitFor();
    times.push(Number(await page.evaluate('performance.getEntriesByName("dashboard:charts")[0].startTime')));
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `dashboard time to charts over ${LOADS} loads: median ${sorted[Math.floor(LOADS / 2)]!.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted[LOADS - 1]!.toFixed(0)} ms`,
  );

  // Screenshots of each page.
  const shots: [string, string][] = [
    ["dashboard", "/admin"],
    ["orders", "/admin/orders"],
    ["order", `/admin/orders/${orderIds[0]}`],
    ["catalogue", "/admin/products"],
    ["product", `/admin/products/${productId}`],
    ["categories", "/admin/categories"],
    ["discounts", "/admin/discounts"],
    ["promotions", "/admin/promotions"],
    ["inventory", `/admin/inventory?sku=${encodeURIComponent(sku)}`],
    ["customers", "/admin/customers"],
    ["reviews", "/admin/reviews?status=all"],
    ["operations", "/admin/operations"],
    ["audit", "/admin/audit"],
    ["reports", "/admin/reports"],
    ["backups", "/admin/backups"],
    ["metrics", "/admin/metrics"],
  ];
  for (const [name, url] of shots) {
    await page.goto(`${base}${url}`);
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(repo, "docs", "console", `${name}.png`) });
  }
  await page.evaluate('localStorage.setItem("console-theme", "dark")');
  await page.goto(`${base}/admin`);
  await page.locator(".chart canvas").first().waitFor();
  await page.screenshot({ path: path.join(repo, "docs", "console", "dashboard-dark.png") });
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.goto(`${base}/admin/orders`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(repo, "docs", "console", "orders-tablet-dark.png") });
  console.log(`screenshots: docs/console/ (${shots.length + 2} pages)`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
