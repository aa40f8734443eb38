// Types `exports` of `cloudflare:workers` in tests as the Worker's own module.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../workers/index.ts");
    durableNamespaces:
      | "JobLease"
      | "LoginThrottle"
      | "Inventory"
      | "Reservation"
      | "Cart"
      | "OrderSaga"
      | "RateLimiter"
      | "OutageWatch"
      | "CircuitBreaker";
  }
}
