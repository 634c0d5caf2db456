// The replay corpus: recorded histories under test/histories/ and the manifest saying which scenario each covers.
// File names are `<workflow type>--<workflow id>[@<label>].json`: replay needs the original workflow id, and a
// label tells several recordings of one workflow apart (parked, then finished; the runs of a continue-as-new chain).
// The corpus only grows: files are never re-recorded or removed (see scripts/record-histories.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { z } from 'zod';
import { HISTORIES_DIR } from './histories';

export const MANIFEST_FILE = path.join(HISTORIES_DIR, 'corpus.json');

/** What the corpus must cover (issue 15); the replay test fails when one is missing. */
export const REQUIRED_SCENARIOS = [
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
  'poller-continued-as-new',
  'multi-slice-poll-refunds',
] as const;

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

/** Every committed history with the workflow id it was recorded under, ready for the replayer. */
export function corpusHistories(files: string[] = historyFiles()): HistoryAndWorkflowId[] {
  return files.map((file) => ({
    workflowId: workflowIdOfFile(file),
    history: historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
  }));
}
