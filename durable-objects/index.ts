export { JobLease } from "./job-lease/job-lease.ts";
export { Inventory } from "./inventory/inventory.ts";
export { Reservation } from "./inventory/reservation.ts";
export { LoginThrottle } from "./login-throttle/login-throttle.ts";
export { Cart } from "./cart/cart.ts";
export { OrderSaga } from "./order/order-saga.ts";
