/**
 * Measures, inside workerd, the CPU cost of the identity family's hot
 * functions exactly as production calls them: password verification at a
 * given work factor, and access-token verification with EdDSA or ES256.
 * Each request runs the operation `n` times back to back on one isolate.
 */

import { hashPassword, paramsForTotal, verifyPassword } from "../../workers/identity/password.ts";
import { signAccessToken, verifyAccessToken } from "../../workers/identity/tokens.ts";

const envs = new Map();
/** One runtime per algorithm, as a deployed isolate has one: configuration and keys are parsed once. Token code reads only its settings. */
function probeEnv(env, alg) {
  let e = envs.get(alg);
  if (!e) {
    e = {
      vars: { DATABASE_URL: "postgres://probe/none", JWT_SIGNING_KEYS: env[`KEYS_${alg}`], JWT_ISSUER: "probe", JWT_AUDIENCE: "probe" },
    };
    envs.set(alg, e);
  }
  return e;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? "1");
    if (url.pathname === "/hash") {
      const params = paramsForTotal(Number(url.searchParams.get("total") ?? "600000"));
      const stored = await hashPassword("probe-password-123", params);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if (!(await verifyPassword("probe-password-123", stored))) throw new Error("verify failed");
      return Response.json({ n, ms: performance.now() - t0, params });
    }
    if (url.pathname === "/verify") {
      const e = probeEnv(env, url.searchParams.get("alg") ?? "EdDSA");
      const { token } = await signAccessToken(e, { userId: "usr_probe", roles: ["customer"], sessionId: "ses_probe" });
      if (!(await verifyAccessToken(e, token))) throw new Error("verify failed");
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if (!(await verifyAccessToken(e, token))) throw new Error("verify failed");
      return Response.json({ n, ms: performance.now() - t0 });
    }
    return new Response("not found", { status: 404 });
  },
};
