// The Jushuitan simulator's public surface.
export { startJushuitanSimulator, SIM_PATHS, type JushuitanCredentials, type JushuitanSimulator, type JushuitanSimulatorOptions, type SimClock } from './server';
export type { CounterSnapshot } from './counters';
export type { FaultSettings } from './faults';
export type { SimRateLimits } from './rate-window';
export type { SimRefund } from './store';
