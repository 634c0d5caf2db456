// `erp-bridge map --record R.json [--scheme ID|FILE] [--collections C.json]`: runs one after-sales record
// through a scheme and prints the Kingdee Save request body, the skip reason, or the mapping errors.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type * as KingdeeModule from '../connectors/kingdee';
import {
  evaluateFilter,
  mapRecord,
  resolveLookups,
  type BillQueryClient,
  type CollectionRows,
  type CollectionSources,
  type LookupAnswers,
  type Scheme,
} from '../scheme';
import { DEFAULT_SCHEME_ID, findScheme } from '../scheme/load-file';

export interface MapOptions {
  record: string;
  scheme: string;
  collections?: string;
}

export interface MapIo {
  out(line: string): void;
  err(line: string): void;
  /** Opens the configured Kingdee (only called when no collections file is given). */
  openKingdee(): Promise<BillQueryClient & { close?(): Promise<void> }>;
}

const recordSchema = z.record(z.string(), z.unknown());
const collectionsSchema = z.record(z.string(), z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))));

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what} ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
}

export function readCollectionsFile(file: string, scheme: Scheme): Record<string, CollectionRows> {
  const parsed = collectionsSchema.safeParse(readJson(file, 'collections file'));
  if (!parsed.success) {
    throw new Error(`collections file ${file} must be {"<collection id or name>": [ {field: value, …}, … ]}: ${issuesText(parsed.error)}`);
  }
  const known = scheme.collections.flatMap((c) => [c.id, c.name]);
  for (const key of Object.keys(parsed.data)) {
    if (!known.includes(key)) {
      throw new Error(`collections file ${file}: "${key}" is not a collection of scheme ${scheme.id} (known: ${scheme.collections.map((c) => `${c.name} = ${c.id}`).join(', ')})`);
    }
  }
  return parsed.data;
}

/** Runs the command; returns the exit code (0 mapped or skipped, 1 mapping errors). */
export async function runMap(options: MapOptions, io: MapIo): Promise<number> {
  const scheme = findScheme(options.scheme);
  const parsed = recordSchema.safeParse(readJson(options.record, 'record file'));
  if (!parsed.success) throw new Error(`record file ${options.record} must hold one after-sales record (a JSON object)`);
  const record = parsed.data;

  const filter = evaluateFilter(scheme, record);
  if (!filter.eligible) {
    io.out(`skipped: ${filter.reason}`);
    return 0;
  }

  let answers: LookupAnswers;
  if (options.collections) {
    answers = await resolveLookups(scheme, record, { rows: readCollectionsFile(options.collections, scheme) });
  } else {
    const client = await io.openKingdee();
    try {
      const sources: CollectionSources = { kingdee: client };
      answers = await resolveLookups(scheme, record, sources);
    } finally {
      await client.close?.();
    }
  }

  const result = mapRecord(scheme, record, answers);
  for (const w of result.warnings) io.err(`warning: ${w}`);
  if (!result.ok) {
    io.err(`mapping errors (${result.errors.length}):`);
    for (const e of result.errors) io.err(`  ${e.message}`);
    return 1;
  }
  io.out(JSON.stringify(result.body, null, 2));
  return 0;
}

/** The Kingdee client, loaded only when lookups go to Kingdee (config from KINGDEE_*). */
async function openConfiguredKingdee(): Promise<BillQueryClient & { close(): Promise<void> }> {
  let kingdee: typeof KingdeeModule;
  try {
    // Lazy on purpose: the connector and its HTTP stack load only when lookups go to Kingdee.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    kingdee = require('../connectors/kingdee') as typeof KingdeeModule;
  } catch (err) {
    throw new Error(`Kingdee client not available (${err instanceof Error ? err.message : String(err)}); pass --collections to map without Kingdee`);
  }
  return Promise.resolve(new kingdee.KingdeeClient(kingdee.kingdeeConfigFromEnv(process.env)));
}

export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('Map one after-sales record through a scheme: prints the Kingdee Save request body, the skip reason, or the mapping errors')
    .requiredOption('--record <file>', 'the record, as JSON')
    .option('--scheme <id|file>', 'scheme id (in schemes/) or scheme file', DEFAULT_SCHEME_ID)
    .option('--collections <file>', 'lookup rows as JSON {"<collection id or name>": [{…}, …]}; without it lookups query Kingdee (KINGDEE_*)')
    .action(async (opts: MapOptions) => {
      process.exitCode = await runMap(opts, {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
        openKingdee: openConfiguredKingdee,
      });
    });
}
