/** The RateLimiter object as the monitoring family sees it: the class. */
export { RateLimiter } from "./rate-limiter.ts";
