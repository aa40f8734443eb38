/**
 * The LoginThrottle object as the identity family sees it: the class (the
 * Worker exports it through the family's index) and the types of its calls.
 */
export { LoginThrottle } from "./login-throttle.ts";
export type { WindowPolicy } from "./window.ts";
