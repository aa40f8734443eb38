import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";

/** Every URL the page's markup names: src, href and the starter's data-spec-url. */
function urlsIn(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href|data-spec-url)="([^"]*)"/g)].map((m) => m[1]!);
}

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values.join(" ")] as const;
    }),
  );
}

describe("API reference page", () => {
  it("answers with a policy that allows this origin's scripts only, no plugins, no <base>, no framing", async () => {
    const res = await api("/api/docs", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    expect(csp.get("default-src")).toBe("'none'");
    expect(csp.get("script-src")).toBe("'self'");
    expect(csp.get("style-src")).toBe("'self'");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
  });

  it("names only same-origin paths and carries no inline script or style", async () => {
    const html = await (await api("/api/docs", { token: null })).text();
    const urls = urlsIn(html);
    expect(urls).toEqual(
      expect.arrayContaining([
        "/api-reference/swagger-ui.css",
        "/api-reference/swagger-ui-bundle.js",
        "/api-reference/start.js",
        "/api/openapi.json",
      ]),
    );
    // A path on this origin: starts with one slash (not "//host", not a scheme).
    for (const url of urls) expect(url).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    // Every <script> has a src and no body; no <style> element, no style or on* attribute.
    for (const m of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/\ssrc="/);
      expect(m[2]!.trim()).toBe("");
    }
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it("points at the document it serves", async () => {
    const html = await (await api("/api/docs", { token: null })).text();
    const spec = /data-spec-url="([^"]+)"/.exec(html)?.[1];
    const res = await api(spec!, { token: null });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
