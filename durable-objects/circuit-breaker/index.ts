/** The CircuitBreaker object as the monitoring family sees it: the class. */
export { CircuitBreaker } from "./circuit-breaker.ts";
