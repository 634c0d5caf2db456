// Public surface of the Kingdee simulator.
export { startKingdeeSimulator, type KingdeeSimCredentials, type KingdeeSimulator, type KingdeeSimulatorOptions } from './server';
export { FAULT_KINDS, FaultRule, type CountersSnapshot, type FaultKind, type FaultRuleInput, type OperationCounters } from './faults';
export { KingdeeStore, type StoredRecord } from './store';
export { parseFilter, evaluateFilter, FilterSyntaxError } from './filter';
