// The replay corpus: recorded histories under test/histories/ and the manifest saying which scenario each covers.
// File names are `<workflow type>--<workflow id>[@<label>].json`: replay needs the original workflow id, and a
// label tells several recordings of one workflow apart (parked, then finished; the runs of a continue-as-new chain).
// The corpus only grows: files are never re-recorded or removed (see scripts/record-histories.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';

export const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');
export const MANIFEST_FILE = path.join(HISTORIES_DIR, 'corpus.json');

export function workflowTypeOf(historyJson: string): string {
  const first = (JSON.parse(historyJson) as { events?: Array<Record<string, { workflowType?: { name?: string } }>> }).events?.[0];
  const name = first?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  if (!name) throw new Error('not a workflow history: its first event is not WorkflowExecutionStarted');
  return name;
}

/** The patch ids a history's patch markers carry (their payload is base64 JSON `{"id": …}`). */
export function patchesIn(historyJson: string): string[] {
  type Marker = { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> };
  const events = (JSON.parse(historyJson) as { events?: Array<{ markerRecordedEventAttributes?: Marker }> }).events ?? [];
  return events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    return Object.values(marker.details ?? {}).flatMap((d) => d.payloads ?? []).flatMap((p) => {
      const id = (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8') || '{}') as { id?: unknown }).id;
      return typeof id === 'string' ? [id] : [];
    });
  });
}

/** The situations a refund can be in at a deploy: each recorded on every path of syncRefund. */
const REFUND_SCENARIOS = [
  'synced',
  'adopted-existing-bill',
  'parked-at-lookups',
  'parked-at-mapping',
  'parked-at-save',
  'parked-at-submit',
  'parked-at-audit',
  'compensated-after-audit-failure',
  'skipped',
  'reprocessed',
  'record-updated-while-parked',
  'refund-continued-as-new',
  'park-auto-retried',
] as const;

/** What the corpus must cover (issue 15); the replay test fails when one is missing. */
export const REQUIRED_SCENARIOS = [
  ...REFUND_SCENARIOS,
  'poller-continued-as-new',
  'multi-slice-poll-refunds',
  'poll-watermark-in-store',
  'poll-run-failed-alerted',
  'poll-window-drift',
  'drifted-accepted',
  'drift-reversed',
] as const;

/** The refund situations the lean pipeline (patch sync-refund-lean-v1) must cover too, as `lean:<scenario>`. */
export const REQUIRED_LEAN_SCENARIOS = REFUND_SCENARIOS.map((scenario) => `lean:${scenario}`);

const Manifest = z.array(
  z.object({
    file: z.string().regex(/^[A-Za-z]+--[^@/]+(@[A-Za-z0-9-]+)?\.json$/, 'a file name <type>--<workflow id>[@label].json'),
    scenarios: z.array(z.string().min(1)).min(1),
    /** The commit of the workflow code it was recorded from. */
    recordedFrom: z.string().min(1),
  }),
);
export type CorpusManifest = z.infer<typeof Manifest>;

export function readManifest(): CorpusManifest {
  const parsed = Manifest.safeParse(JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')));
  if (!parsed.success) throw new Error(`${MANIFEST_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function writeManifest(manifest: CorpusManifest): void {
  writeFileSync(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function historyFiles(): string[] {
  return readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json') && f !== path.basename(MANIFEST_FILE)).sort();
}

export function historyFileName(workflowType: string, workflowId: string, label?: string): string {
  return `${workflowType}--${workflowId}${label ? `@${label}` : ''}.json`;
}

/** The workflow id a history was recorded under, from its file name. */
export function workflowIdOfFile(file: string): string {
  const stem = file.replace(/\.json$/, '');
  const afterType = stem.slice(stem.indexOf('--') + 2);
  const at = afterType.indexOf('@');
  return at < 0 ? afterType : afterType.slice(0, at);
}

export const historyExists = (file: string): boolean => existsSync(path.join(HISTORIES_DIR, file));

/**
 * Adds a history exported with `temporal workflow show --output json` to the corpus and its manifest.
 * Never overwrites: an existing file is kept (false is returned), since a recorded history is never re-recorded.
 */
export function addToCorpus(historyJson: string, workflowId: string, scenarios: string[], recordedFrom: string, label?: string): string | undefined {
  const file = historyFileName(workflowTypeOf(historyJson), workflowId, label);
  const manifest = readManifest();
  if (historyExists(file)) {
    if (!manifest.some((entry) => entry.file === file)) throw new Error(`${file} exists but is not in ${MANIFEST_FILE}`);
    return undefined;
  }
  writeFileSync(path.join(HISTORIES_DIR, file), historyJson);
  manifest.push({ file, scenarios, recordedFrom });
  writeManifest(manifest);
  return file;
}

/** Every committed history with the workflow id it was recorded under, ready for the replayer. */
export function corpusHistories(files: string[] = historyFiles()): HistoryAndWorkflowId[] {
  return files.map((file) => ({
    workflowId: workflowIdOfFile(file),
    history: historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
  }));
}
