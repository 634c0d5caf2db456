// The worker's start-up check of both systems' credentials. A credential the system *rejects* is a configuration
// error: the worker refuses to start, naming the variable (a crash loop would only lock the account). A system
// that is merely unreachable delays readiness and is tried again, never a crash.
import { formatBeijing } from '../lib/beijing-time';
import { JST_CODE, JushuitanAuthError, JushuitanError, type JushuitanClient } from '../connectors/jushuitan';
import { KingdeeLoginError, KingdeeSessionLostError } from '../connectors/kingdee/errors';
import type { KingdeeClient } from '../connectors/kingdee';
import { explainFailure } from '../cli/explain-failure';

export type LoginVerdict = { ok: true } | { ok: false; rejected: boolean; explanation: string };

/** A refusal of the credentials themselves: a bad signature (code 10), a dead token pair, a login refused. */
const rejected = (err: unknown): boolean =>
  err instanceof JushuitanAuthError ||
  (err instanceof JushuitanError && err.code === JST_CODE.badSign) ||
  err instanceof KingdeeLoginError ||
  (err instanceof KingdeeSessionLostError && !err.retryable);

async function verdict(run: () => Promise<unknown>): Promise<LoginVerdict> {
  try {
    await run();
    return { ok: true };
  } catch (err) {
    return { ok: false, rejected: rejected(err), explanation: explainFailure(err).join('\n') };
  }
}

export function checkJushuitanLogin(client: Pick<JushuitanClient, 'queryRefundPage'>, now = new Date()): Promise<LoginVerdict> {
  return verdict(() =>
    client.queryRefundPage({ modifiedBegin: formatBeijing(new Date(now.getTime() - 60_000)), modifiedEnd: formatBeijing(now), pageIndex: 1, pageSize: 1 }),
  );
}

export function checkKingdeeLogin(client: Pick<KingdeeClient, 'executeBillQuery'>): Promise<LoginVerdict> {
  return verdict(() => client.executeBillQuery({ FormId: 'BD_Currency', FieldKeys: 'FNumber', Limit: 1 }));
}
