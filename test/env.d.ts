// Types for `cloudflare:workers` env and exports in tests.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../workers/index.ts");
    durableNamespaces: "JobLease";
  }
  interface Env extends import("../workers/kernel/env.ts").Bindings {
    DATABASE_URL: string;
    NEON_WSPROXY?: string;
    OPS_TOKEN?: string;
  }
}
