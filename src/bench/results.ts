// From what a run observed (Temporal timings, simulator counters, sampled histories) to the numbers the report
// shows. Pure: the orchestration gathers a RawRun, this turns it into a RunResult.
import type { CountersSnapshot as KingdeeCounters } from '../sim/kingdee';
import type { CounterSnapshot as JushuitanCounters } from '../sim/jushuitan';
import type { PollCounts } from '../workflows/messages';
import type { CpuUse } from './cpu';
import type { HistoryTally, ExecutionTiming } from './measure';
import type { Latencies, RunKind, Scenario } from './options';
import { KINGDEE_QUERY_OPS, KINGDEE_WRITE_OPS } from './sim-latency';
import { bucketFor, perItem, perSecond, ratio, summarizeLatencies, throughputSeries, type LatencySummary, type ThroughputPoint } from './stats';

export const JUSHUITAN_QUERY_PATH = '/open/refund/single/query';

export interface RawRun {
  scenario: Scenario;
  /** Records in the run's world (all eligible). */
  refunds: number;
  /** Jushuitan page size the scheme asks for. */
  pageSize: number;
  pollStartMs: number;
  pollCounts: PollCounts;
  children: ExecutionTiming[];
  stalled: boolean;
  jushuitan: JushuitanCounters;
  kingdee: KingdeeCounters;
  /** ExecuteBillQuery calls per form. */
  kingdeeQueriesByForm: Record<string, number>;
  forms: { target: string; lookups: string[] };
  childHistories: HistoryTally;
  pollerHistories: HistoryTally;
  /** Bills of the target form in the audited state at the end. */
  auditedBills: number;
  /** CPU used from the poll's start until every child completed. */
  cpu: CpuUse;
  /** The machine's 1-minute load average at the run's start and end (other programs compete for the CPUs). */
  loadAverage: { atStart: number; atEnd: number };
}

export interface RunResult {
  kind: RunKind;
  title: string;
  childWorkflow: string;
  latencies: Latencies;
  refunds: number;
  completed: number;
  stalled: boolean;
  auditedBills: number;
  wallMs: number | null;
  /** From the poller's start to the last child's start: how long handing out all the work took. */
  fanOutMs: number | null;
  refundsPerSecond: number | null;
  /** Child start → child close (for a full sync: audited and reported). */
  latency: LatencySummary;
  ratioToCeiling: number | null;
  jushuitanPages: { fetched: number; minimum: number; calls: number; rateLimited: number };
  kingdee: {
    callsByOperation: Record<string, number>;
    queriesByForm: Record<string, number>;
    findQueriesPerRefund: number | null;
    lookupQueriesPerRefund: number | null;
    /** find + save + submit + audit (and any other write or check of the bill) per refund. */
    writeOrCheckPerRefund: number | null;
    logins: number;
    maxInFlight: number;
    /** Bills per Kingdee write call (BatchSave/Save/Submit/Audit/…): 1 without batching. */
    billsPerWriteCall: number | null;
  };
  /** API calls per refund by operation ("system operation" → calls / N). */
  apiCallsPerRefund: Record<string, number>;
  temporal: {
    sampledChildren: number;
    /** Activity tasks per refund: the child's (sampled) plus the poller's share. */
    activitiesPerRefund: number | null;
    childActivitiesByType: Record<string, number>;
    pollerActivities: number;
    /** Local activities (recorded as markers) per refund, from the sample. */
    localActivitiesPerRefund: number | null;
    workflowTasksPerRefund: number | null;
    historyEventsPerRefund: number | null;
  };
  /** CPU milliseconds per refund: this process (worker, workflow threads, simulators) and the dev server. */
  cpuMsPerRefund: { bench: number; server: number | null; total: number | null };
  loadAverage: { atStart: number; atEnd: number };
  throughput: { bucketSeconds: number; points: ThroughputPoint[] };
}

const sumOf = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

export function buildRunResult(raw: RawRun): RunResult {
  const n = raw.refunds;
  const done = raw.children.filter((c) => c.status === 'COMPLETED' && c.closeMs !== undefined);
  const closes = done.map((c) => c.closeMs!);
  const lastClose = closes.length > 0 ? Math.max(...closes) : undefined;
  const wallMs = lastClose === undefined ? null : lastClose - raw.pollStartMs;
  const lastStart = raw.children.length > 0 ? Math.max(...raw.children.map((c) => c.startMs)) : undefined;
  const bucketMs = bucketFor(wallMs ?? 0);

  const ops = raw.kingdee.operations;
  const calls = (op: string) => ops[op]?.calls ?? 0;
  const findQueries = raw.kingdeeQueriesByForm[raw.forms.target] ?? 0;
  const lookupQueries = sumOf(raw.forms.lookups.map((f) => raw.kingdeeQueriesByForm[f] ?? 0));
  const writes = sumOf(KINGDEE_WRITE_OPS.map(calls));
  const otherReads = sumOf(KINGDEE_QUERY_OPS.filter((op) => op !== 'ExecuteBillQuery').map(calls));

  const apiCallsPerRefund: Record<string, number> = {};
  for (const [path, c] of Object.entries(raw.jushuitan.byPath)) apiCallsPerRefund[`jushuitan ${path}`] = c.calls / n;
  for (const [op, c] of Object.entries(ops)) {
    if (op === 'ExecuteBillQuery') continue;
    apiCallsPerRefund[`kingdee ${op}`] = c.calls / n;
  }
  for (const [form, c] of Object.entries(raw.kingdeeQueriesByForm)) {
    const role = form === raw.forms.target ? 'find' : 'lookup';
    apiCallsPerRefund[`kingdee ExecuteBillQuery ${form} (${role})`] = c / n;
  }
  const unattributed = calls('ExecuteBillQuery') - sumOf(Object.values(raw.kingdeeQueriesByForm));
  if (unattributed > 0) apiCallsPerRefund['kingdee ExecuteBillQuery (other forms)'] = unattributed / n;

  const queryPath = raw.jushuitan.byPath[JUSHUITAN_QUERY_PATH];
  const sample = raw.childHistories;
  const perChild = (x: number) => (sample.executions > 0 ? x / sample.executions : null);
  const childActivities = perChild(sample.activityTasks);

  return {
    kind: raw.scenario.kind,
    title: raw.scenario.title,
    childWorkflow: raw.scenario.childWorkflow,
    latencies: raw.scenario.latencies,
    refunds: n,
    completed: done.length,
    stalled: raw.stalled,
    auditedBills: raw.auditedBills,
    wallMs,
    fanOutMs: lastStart === undefined ? null : lastStart - raw.pollStartMs,
    refundsPerSecond: wallMs === null ? null : perSecond(done.length, wallMs),
    latency: summarizeLatencies(done.map((c) => c.closeMs! - c.startMs)),
    ratioToCeiling: null,
    jushuitanPages: {
      fetched: queryPath?.outcomes['0'] ?? 0,
      minimum: Math.ceil(n / raw.pageSize),
      calls: queryPath?.calls ?? 0,
      rateLimited: (queryPath?.outcomes['199'] ?? 0) + (queryPath?.outcomes['200'] ?? 0),
    },
    kingdee: {
      callsByOperation: Object.fromEntries(Object.entries(ops).map(([op, c]) => [op, c.calls])),
      queriesByForm: raw.kingdeeQueriesByForm,
      findQueriesPerRefund: perItem(findQueries, n),
      lookupQueriesPerRefund: perItem(lookupQueries, n),
      writeOrCheckPerRefund: perItem(findQueries + writes + otherReads, n),
      logins: calls('ValidateUser') + calls('ValidateUser2') + calls('LoginByAppSecret') + calls('LoginBySign'),
      maxInFlight: raw.kingdee.maxInFlight,
      billsPerWriteCall: writes > 0 ? sumOf(KINGDEE_WRITE_OPS.map((op) => ops[op]?.bills ?? 0)) / writes : null,
    },
    apiCallsPerRefund,
    temporal: {
      sampledChildren: sample.executions,
      activitiesPerRefund: childActivities === null ? null : childActivities + raw.pollerHistories.activityTasks / n,
      childActivitiesByType: Object.fromEntries(Object.entries(sample.activitiesByType).map(([t, c]) => [t, c / sample.executions])),
      pollerActivities: raw.pollerHistories.activityTasks,
      localActivitiesPerRefund: perChild(sample.localActivityMarkers),
      workflowTasksPerRefund: perChild(sample.workflowTasks),
      historyEventsPerRefund: perChild(sample.events),
    },
    cpuMsPerRefund: {
      bench: raw.cpu.benchMs / n,
      server: raw.cpu.serverMs === null ? null : raw.cpu.serverMs / n,
      total: raw.cpu.serverMs === null ? null : (raw.cpu.benchMs + raw.cpu.serverMs) / n,
    },
    loadAverage: raw.loadAverage,
    throughput: { bucketSeconds: bucketMs / 1000, points: lastClose === undefined ? [] : throughputSeries(closes, raw.pollStartMs, bucketMs) },
  };
}

/** Fills each run's ratio to the ceiling run's refunds per second (when the ceiling ran). */
export function withCeilingRatios(runs: RunResult[]): RunResult[] {
  const ceiling = runs.find((r) => r.kind === 'ceiling')?.refundsPerSecond;
  return runs.map((r) => ({ ...r, ratioToCeiling: ratio(r.refundsPerSecond, ceiling) }));
}
