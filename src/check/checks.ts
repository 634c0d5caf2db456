// `erp-bridge check`: one line per thing that must work before a sync can, each with the fix when it fails.
// The checks run in order and later ones that depend on an earlier failure are reported as not run.
import { Connection } from '@temporalio/client';
import { formatBeijing } from '../lib/beijing-time';
import { and } from '../connectors/kingdee/filter-string';
import type { JushuitanClient } from '../connectors/jushuitan';
import type { KingdeeClient } from '../connectors/kingdee';
import type { Scheme } from '../scheme';
import type { TemporalTarget } from '../temporal/connection';
import { namespaceReadiness, storeReadiness, type ReadinessItem } from '../setup/readiness';
import type { StoreConfig } from '../store';

const fromReadiness = (i: ReadinessItem): CheckResult => ({
  name: i.name,
  ok: i.ok,
  detail: i.warning ? `${i.detail}; warning: ${i.warning}` : i.detail,
  ...(i.fix ? { fix: i.fix } : {}),
});
import { probeTcp } from '../temporal/unreachable';

export interface CheckResult {
  name: string;
  ok: boolean | 'skipped';
  detail: string;
  fix?: string;
}

export interface CheckTargets {
  /** Each is either the thing to check or the error met while configuring it. */
  scheme: Scheme | Error;
  temporal: TemporalTarget | Error;
  jushuitan: JushuitanClient | Error;
  kingdee: KingdeeClient | Error;
  /** Where the state store is (ERP_BRIDGE_DATABASE_URL / the embedded default). */
  store: StoreConfig | Error;
  /** ERP_BRIDGE_LOOKBACK: the namespace's retention should outlast it. */
  lookbackMs?: number;
  now?: () => Date;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function attempt(name: string, fix: string, run: () => Promise<string>): Promise<CheckResult> {
  try {
    return { name, ok: true, detail: await run() };
  } catch (err) {
    return { name, ok: false, detail: message(err), fix };
  }
}

export async function runChecks(t: CheckTargets): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const configured = (name: string, value: unknown, fix: string): boolean => {
    if (value instanceof Error) {
      results.push({ name, ok: false, detail: value.message, fix });
      return false;
    }
    results.push({ name, ok: true, detail: 'valid' });
    return true;
  };

  const schemeOk = configured('scheme', t.scheme, 'Fix the scheme file (erp-bridge scheme check FILE names row and column), or set ERP_BRIDGE_SCHEME.');
  const temporalOk = configured('temporal config', t.temporal, 'Set TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (and TLS or TEMPORAL_API_KEY for Cloud).');
  const jstOk = configured('jushuitan config', t.jushuitan, 'Set JST_BASE_URL, JST_APP_KEY, JST_APP_SECRET, JST_ACCESS_TOKEN (and JST_REFRESH_TOKEN).');
  const kdOk = configured('kingdee config', t.kingdee, 'Set KINGDEE_BASE_URL (…/k3cloud/), KINGDEE_ACCT_ID, KINGDEE_USERNAME and KINGDEE_PASSWORD or app credentials.');

  if (temporalOk) {
    const target = t.temporal as TemporalTarget;
    let connection: Connection | undefined;
    const reachable = await attempt('temporal reachable', 'Start the server (erp-bridge dev-server) or check TEMPORAL_ADDRESS, TLS and the namespace.', async () => {
      // A refused or unresolvable address is said in words (the SDK only says "Failed to connect before the deadline").
      const unreachable = await probeTcp(String(target.connectionOptions.address));
      if (unreachable) throw new Error(`cannot reach ${target.connectionOptions.address}: ${unreachable}`);
      connection = await Connection.connect({ ...target.connectionOptions, connectTimeout: 5_000 });
      return `${target.connectionOptions.address}, namespace ${target.namespace}`;
    });
    results.push(reachable);
    if (connection) {
      try {
        const items = await namespaceReadiness(connection, target.namespace, { lookbackMs: t.lookbackMs });
        results.push(...items.map(fromReadiness));
      } catch (err) {
        results.push({ name: 'temporal namespace', ok: false, detail: message(err), fix: 'Check the namespace name and that this identity may describe it.' });
      } finally {
        await connection.close();
      }
    }
  }
  if (configured('state store config', t.store, 'Set ERP_BRIDGE_DATABASE_URL to postgres://user:password@host:5432/database, or unset it for the embedded store.')) {
    results.push(fromReadiness(await storeReadiness(t.store as StoreConfig)));
  }
  if (jstOk) {
    const client = t.jushuitan as JushuitanClient;
    results.push(await attempt('jushuitan signed query', 'Check JST_APP_KEY/JST_APP_SECRET (code 10: sign), JST_ACCESS_TOKEN (code 100), the clock (code 180) and JST_BASE_URL.', async () => {
      const now = (t.now ?? (() => new Date()))();
      const page = await client.queryRefundPage({
        modifiedBegin: formatBeijing(new Date(now.getTime() - 3600_000)), modifiedEnd: formatBeijing(now), pageIndex: 1, pageSize: 1,
      });
      return `refund query answered (${page.dataCount ?? page.records.length} record(s) in the last hour)`;
    }));
  }
  if (kdOk) {
    const client = t.kingdee as KingdeeClient;
    const login = await attempt('kingdee login', 'Check KINGDEE_BASE_URL, KINGDEE_ACCT_ID (data centre), user and password or app credentials.', async () => {
      await client.executeBillQuery({ FormId: 'BD_Currency', FieldKeys: 'FNumber', Limit: 1 });
      return 'logged in, query answered';
    });
    results.push(login);
    if (schemeOk) {
      for (const c of (t.scheme as Scheme).collections.filter((x) => x.kingdee)) {
        const name = `lookup ${c.name}`;
        if (!login.ok) {
          results.push({ name, ok: 'skipped', detail: 'not run: Kingdee login failed' });
          continue;
        }
        const k = c.kingdee!;
        results.push(await attempt(name, `Check that form ${k.formId} has the fields ${Object.values(k.keys).join(', ')} and that this user may read it.`, async () => {
          const rows = await client.executeBillQuery({ FormId: k.formId, FieldKeys: Object.values(k.keys).join(','), FilterString: and(...k.filter), Limit: 1 });
          return rows.length > 0 ? `${k.formId}: a row found` : `${k.formId}: readable, but no rows yet`;
        }));
      }
    }
  }
  return results;
}

export function formatChecks(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => {
    const mark = r.ok === true ? 'PASS' : r.ok === 'skipped' ? 'SKIP' : 'FAIL';
    const head = `${mark}  ${r.name.padEnd(width)}  ${r.detail}`;
    return r.fix && r.ok === false ? `${head}\n      fix: ${r.fix}` : head;
  });
  const failed = results.filter((r) => r.ok === false).length;
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check(s) failed.`);
  return lines.join('\n');
}
