// The benchmark report: its JSON shape, the markdown tables, and the files written to bench-results/.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KingdeeBounds } from './bound';
import { throughputChartSvg, type ChartPanel } from './chart';
import { describeMachine, type MachineInfo } from './machine';
import type { Latencies, WorkerSettings } from './options';
import { rasterizeSvg } from './rasterize';
import type { RunResult } from './results';
import type { TargetCheck } from './targets';

export interface BenchReport {
  generatedAt: string;
  machine: MachineInfo;
  settings: {
    refunds: number;
    kingdeeConcurrency: number;
    batchSize: number;
    batchLingerMs: number;
    /** Kingdee activities a worker runs at once (the Kingdee task queue's slots). */
    kingdeeSlots: number;
    worker: WorkerSettings;
    realisticLatencies: Latencies;
    jushuitanLimits: string;
    historySample: number;
    world: string;
  };
  kingdeeBound: KingdeeBounds;
  runs: RunResult[];
  targets: TargetCheck[];
  /** Total time the benchmark took, dev server start to last run's teardown. */
  benchMs: number;
}

export const RESULT_FILES = { json: 'latest.json', markdown: 'latest.md', svg: 'throughput.svg', png: 'throughput.png' } as const;

/** Seconds from milliseconds: two decimals below 10 s, one above. */
export function seconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return 'n/a';
  const s = ms / 1000;
  return s < 10 ? s.toFixed(2) : s.toFixed(1);
}

export function fixed(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? 'n/a' : x.toFixed(digits);
}

export function percent(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(0)}%`;
}

/** A markdown table; cells are escaped for `|`. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'l' | 'r'>): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rule = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header.map(cell), rule, ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function runsTable(runs: readonly RunResult[]): string {
  const header = [
    'Run', 'Refunds', 'Wall (s)', 'Refunds/s', 'vs ceiling', 'p50 (s)', 'p95 (s)', 'max (s)',
    'JST pages (min)', 'KD lookups / refund', 'KD write-or-check / refund', 'Activities / refund', 'Local activities / refund',
    'CPU ms / refund (worker+sims, server)',
  ];
  const rows = runs.map((r) => [
    r.title,
    r.completed === r.refunds ? String(r.refunds) : `${r.completed} of ${r.refunds}${r.stalled ? ' (stalled)' : ''}`,
    seconds(r.wallMs),
    fixed(r.refundsPerSecond, 1),
    r.kind === 'ceiling' ? '100%' : percent(r.ratioToCeiling),
    seconds(r.latency.p50Ms),
    seconds(r.latency.p95Ms),
    seconds(r.latency.maxMs),
    `${r.jushuitanPages.fetched} (${r.jushuitanPages.minimum})`,
    fixed(r.kingdee.lookupQueriesPerRefund, 3),
    fixed(r.kingdee.writeOrCheckPerRefund),
    fixed(r.temporal.activitiesPerRefund),
    fixed(r.temporal.localActivitiesPerRefund),
    `${fixed(r.cpuMsPerRefund.total, 0)} (${fixed(r.cpuMsPerRefund.bench, 0)}, ${fixed(r.cpuMsPerRefund.server, 0)})`,
  ]);
  return markdownTable(header, rows, ['l', ...header.slice(1).map(() => 'r' as const)]);
}

export function apiCallsTable(runs: readonly RunResult[]): string {
  const operations = [...new Set(runs.flatMap((r) => Object.keys(r.apiCallsPerRefund)))].sort();
  const rows = operations.map((op) => [op, ...runs.map((r) => (op in r.apiCallsPerRefund ? fixed(r.apiCallsPerRefund[op], 3) : '0'))]);
  return markdownTable(['API calls per refund', ...runs.map((r) => r.title)], rows, ['l', ...runs.map(() => 'r' as const)]);
}

export function targetsTable(targets: readonly TargetCheck[]): string {
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**missed**');
  return markdownTable(['Target', 'Wanted', 'Measured', 'Verdict'], targets.map((t) => [t.name, t.target, t.actual, verdict(t.met)]));
}

/**
 * The engine's share of the ceiling by CPU per refund: what the refunds/s ratio would be if CPU alone limited both
 * runs. Wall-time ratios move with other load on the machine between the runs; this one hardly does.
 */
export function cpuShareNote(runs: readonly RunResult[]): string {
  const cpu = (kind: RunResult['kind']) => runs.find((r) => r.kind === kind)?.cpuMsPerRefund.total ?? null;
  const ceiling = cpu('ceiling');
  const engine = cpu('engine');
  if (ceiling === null || engine === null || engine <= 0) return '';
  return `By CPU per refund (worker, simulators and server together), the engine run costs ${fixed(engine, 0)} ms against the ceiling's ` +
    `${fixed(ceiling, 0)} ms: ${percent(ceiling / engine)} of the ceiling if CPU alone limited both.`;
}

export function reportMarkdown(report: BenchReport): string {
  const s = report.settings;
  const l = s.realisticLatencies;
  return [
    `# Benchmark: ${s.refunds} refunds`,
    '',
    `Run ${report.generatedAt} on ${describeMachine(report.machine)}; the whole benchmark took ${seconds(report.benchMs)} s.`,
    `Dev server in memory, simulators and worker in-process. Worker: ${s.worker.maxConcurrentActivities} concurrent activities, ` +
      `${s.worker.maxConcurrentWorkflowTasks} concurrent workflow tasks. Kingdee concurrency ${s.kingdeeConcurrency}; ` +
      `batches of up to ${s.batchSize} bills with a ${s.batchLingerMs} ms linger, ${s.kingdeeSlots} Kingdee activity slots. Jushuitan limits: ${s.jushuitanLimits}.`,
    `Realistic latencies: Jushuitan ${l.jushuitanMs} ms a call, Kingdee ${l.kingdeeQueryMs} ms a query, ${l.kingdeeWriteMs} ms a write. World: ${s.world}.`,
    '',
    runsTable(report.runs),
    '',
    `Load average (1 min) at each run's start → end: ${report.runs.map((r) => `${r.kind} ${r.loadAverage.atStart.toFixed(1)} → ${r.loadAverage.atEnd.toFixed(1)}`).join(', ')} ` +
      `on ${report.machine.cpus} CPUs; other programs running at the same time add to it and slow the runs.`,
    '',
    `Latencies are per refund, from its child workflow's start to its close (audited and reported), read from Temporal. ` +
      `Activities and local activities per refund come from ${s.historySample} sampled child histories plus the poller's page activities.`,
    '',
    `Kingdee bounds (latency model of kingdee-batching.md §5): single-bill ${report.kingdeeBound.singleBill.formula} = **${fixed(report.kingdeeBound.singleBill.refundsPerSecond)} refunds/s**; ` +
      `batched ${report.kingdeeBound.batched.formula} = **${fixed(report.kingdeeBound.batched.refundsPerSecond)} refunds/s**. ` +
      `Bills per Kingdee write call: ${report.runs.map((r) => `${r.kind} ${fixed(r.kingdee.billsPerWriteCall)}`).join(', ')}. ` +
      `History events / workflow tasks per refund: ${report.runs.map((r) => `${r.kind} ${fixed(r.temporal.historyEventsPerRefund, 1)} / ${fixed(r.temporal.workflowTasksPerRefund, 1)}`).join(', ')}. ` +
      `Most Kingdee calls in flight at once: ${report.runs.map((r) => `${r.kind} ${r.kingdee.maxInFlight}`).join(', ')} (limit ${s.kingdeeConcurrency}).`,
    '',
    targetsTable(report.targets),
    '',
    cpuShareNote(report.runs),
    '',
    apiCallsTable(report.runs),
    '',
    // The SVG is always written (the PNG only where a converter is installed).
    `![throughput over time](${RESULT_FILES.svg})`,
    '',
  ].join('\n');
}

export function chartPanels(report: BenchReport): ChartPanel[] {
  return report.runs.map((r) => ({
    title: `${r.title}: ${fixed(r.refundsPerSecond, 1)} refunds/s over ${seconds(r.wallMs)} s (${r.throughput.bucketSeconds} s buckets)`,
    points: r.throughput.points,
    references: [
      ...(r.refundsPerSecond ? [{ label: `average ${fixed(r.refundsPerSecond, 1)}/s`, value: r.refundsPerSecond, color: '#2ca02c' }] : []),
      ...(r.kind === 'realistic' ? [
        { label: `single-bill bound ${fixed(report.kingdeeBound.singleBill.refundsPerSecond)}/s`, value: report.kingdeeBound.singleBill.refundsPerSecond, color: '#ff7f0e' },
        { label: `batched bound ${fixed(report.kingdeeBound.batched.refundsPerSecond)}/s`, value: report.kingdeeBound.batched.refundsPerSecond, color: '#d62728' },
      ] : []),
    ],
  }));
}

/** Writes latest.json, latest.md, throughput.svg and (when a converter exists) throughput.png. */
export function writeReport(dir: string, report: BenchReport): { files: string[]; pngConverter?: string } {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    files.push(file);
    return file;
  };
  write(RESULT_FILES.json, `${JSON.stringify(report, null, 2)}\n`);
  write(RESULT_FILES.markdown, reportMarkdown(report));
  const svg = write(RESULT_FILES.svg, throughputChartSvg(`erp-bridge throughput, ${report.settings.refunds} refunds`, chartPanels(report)));
  const png = path.join(dir, RESULT_FILES.png);
  const pngConverter = rasterizeSvg(svg, png);
  if (pngConverter) files.push(png);
  else rmSync(png, { force: true }); // a PNG left by an earlier run would show another run's chart
  return { files, pngConverter };
}
