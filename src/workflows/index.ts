// Every workflow the worker registers. Deterministic code only: see eslint.config.mjs.
export { healthCheck } from './health-check';
export { pollRefunds } from './poll-refunds';
export { pollWindow } from './poll-window';
export { syncRefund } from './sync-refund';
export { noopRefund } from './noop-refund';
export { driftRefund } from './drift-refund';
