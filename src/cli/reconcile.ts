// `erp-bridge reconcile`: compares Jushuitan, the product's workflows and Kingdee for a modified-time
// range. Exit 0 only when every eligible refund has exactly one matching audited bill and nothing else is
// wrong; 1 when something is (or the comparison could not finish); 2 for bad usage or configuration.
import type { Command } from 'commander';
import { syncConfigFromEnv } from '../config/sync-config';
import { JushuitanClient, jushuitanConfigFromEnv } from '../connectors/jushuitan';
import { KingdeeClient, kingdeeConfigFromEnv } from '../connectors/kingdee';
import { isClean } from '../reconcile/compare';
import { collectAndReconcile } from '../reconcile/collect';
import { externalKeyField } from '../reconcile/external-key';
import { reconcileJson, reconcileTable } from '../reconcile/format';
import { terminalProgress } from '../reconcile/progress';
import { ledgerReader } from '../reconcile/ledger';
import { createSchemes } from '../runtime/schemes';
import { openStateStore, storeConfigFromEnv, type SqlStore } from '../store';
import { decisionsLedger } from '../store/decisions';
import { findScheme } from '../scheme/load-file';
import { parseTimeFlag } from './time-flag';
import { withClient } from './with-client';

export const RECONCILE_EXIT = { clean: 0, problems: 1, usage: 2 } as const;

interface ReconcileOptions {
  from?: string;
  to?: string;
  json?: boolean;
  shop?: string;
}

/** Usage and configuration: everything that can be wrong before a single call is made. */
function setUp(opts: ReconcileOptions) {
  if (opts.from === undefined || opts.to === undefined) throw new Error('reconcile needs --from and --to');
  const from = parseTimeFlag('--from', opts.from);
  const to = parseTimeFlag('--to', opts.to);
  if (to <= from) throw new Error('--to must be after --from');
  if (opts.shop !== undefined && !/^\d+$/.test(opts.shop)) throw new Error(`--shop must be a Jushuitan shop id (digits), got ${JSON.stringify(opts.shop)}`);
  const schemeId = syncConfigFromEnv().schemeId;
  const scheme = findScheme(schemeId);
  const jushuitan = jushuitanConfigFromEnv(process.env);
  const kingdee = kingdeeConfigFromEnv(process.env);
  return { from, to, shopId: opts.shop, schemeId: scheme.id, formId: scheme.target.formId, keyField: externalKeyField(scheme), jushuitan, kingdee };
}

export function registerReconcileCommand(program: Command, print: (text: string) => void = (t) => console.log(t)): void {
  program
    .command('reconcile')
    .description('Compare Jushuitan records, our workflows and Kingdee bills for a modified-time range; exit 0 only when the books are complete')
    .option('--from <time>', '"YYYY-MM-DD HH:mm:ss" Beijing time, or ISO-8601 (records modified from, inclusive)')
    .option('--to <time>', '"YYYY-MM-DD HH:mm:ss" Beijing time, or ISO-8601 (inclusive)')
    .option('--json', 'print {"summary": {…}, "items": [{"asId", "problem", "detail", "billNo"}]}')
    .option('--shop <id>', 'only records of this Jushuitan shop')
    // Usage errors exit 2 (commander's own default is 1, which here means "problems found").
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : RECONCILE_EXIT.usage))
    .action(async (opts: ReconcileOptions) => {
      let setup: ReturnType<typeof setUp>;
      try {
        setup = setUp(opts);
      } catch (err) {
        console.error(`erp-bridge reconcile: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = RECONCILE_EXIT.usage;
        return;
      }
      const jst = new JushuitanClient(setup.jushuitan);
      const kingdee = new KingdeeClient(setup.kingdee);
      let store: SqlStore | undefined;
      try {
        // Operators' decisions (accepted drifts, skips) from the shared store; the embedded one is its worker's.
        const storeConfig = storeConfigFromEnv();
        if (storeConfig.databaseUrl) store = await openStateStore(storeConfig);
        const ledger = store ? ledgerReader(decisionsLedger(store), setup.schemeId) : undefined;
        const report = await withClient((temporal) =>
          collectAndReconcile(
            { jushuitan: jst, kingdee, temporal, schemes: createSchemes({ kingdee }), ...(ledger ? { ledger } : {}) },
            { schemeId: setup.schemeId, formId: setup.formId, keyField: setup.keyField, from: setup.from, to: setup.to, shopId: setup.shopId },
            terminalProgress(),
          ),
        );
        print(opts.json ? reconcileJson(report) : reconcileTable(report, setup));
        process.exitCode = isClean(report) ? RECONCILE_EXIT.clean : RECONCILE_EXIT.problems;
      } catch (err) {
        console.error(`erp-bridge reconcile: could not finish, nothing is proven: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = RECONCILE_EXIT.problems;
      } finally {
        await kingdee.close().catch(() => {});
        await store?.close().catch(() => {});
      }
    });
}
