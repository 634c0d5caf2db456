// Turns a failure into what an operator needs: what was refused, by which system, with its own code and
// message, and the variable to fix. Workflow failures are unwrapped to the activity error that caused them.

/** The innermost cause (WorkflowFailedError → ChildWorkflowFailure → ActivityFailure → ApplicationFailure). */
export function rootCause(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 10; depth++) {
    const next = (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) break;
    current = next;
  }
  return current;
}

const JST_FIX: Record<number, string> = {
  10: 'JST_APP_SECRET (and JST_APP_KEY): Jushuitan could not verify the signature; copy the app secret from the open platform console (see README "Getting credentials")',
  100: 'JST_ACCESS_TOKEN (and JST_REFRESH_TOKEN): the access token is invalid or expired; set a current one, or a refresh token so it renews itself',
  140: 'the query parameters (a window over 7 days or a bad status value); check --from/--to',
  180: "this machine's clock: it differs from Jushuitan's by too much; synchronise it (NTP)",
};

/** Lines to print: the refusal in words, then `fix: …` when the cause is known. */
export function explainFailure(err: unknown): string[] {
  // Our own expected errors already say what, where and how to fix it.
  if (err instanceof Error && (err as { expected?: unknown }).expected === true) return err.message.split('\n');
  const root = rootCause(err);
  const message = root instanceof Error ? root.message : String(root);
  const jst = /Jushuitan (\S+): code (\d+): (.*)$/s.exec(message);
  if (jst) {
    const code = Number(jst[2]);
    const fix = JST_FIX[code] ?? `see the Jushuitan open platform's error codes for ${code}`;
    return [`Jushuitan refused ${jst[1]}: code ${code}: ${jst[3]!.trim()}`, `  fix: ${fix}`];
  }
  if (/Kingdee \w+.*login refused|LoginResultType/.test(message)) {
    return [
      message,
      '  fix: KINGDEE_USERNAME and KINGDEE_PASSWORD (or KINGDEE_APP_ID and KINGDEE_APP_SECRET with KINGDEE_AUTH_MODE), and KINGDEE_ACCT_ID (the data centre id); see README "Getting credentials"',
    ];
  }
  if (/signed-header credentials rejected/.test(message)) {
    return [message, '  fix: KINGDEE_USERNAME, KINGDEE_APP_ID and KINGDEE_APP_SECRET (KINGDEE_AUTH_MODE=signed-header)'];
  }
  const outer = err instanceof Error ? err.message : String(err);
  return outer === message ? [message] : [outer, `  cause: ${message}`];
}
