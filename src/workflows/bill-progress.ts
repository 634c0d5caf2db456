// Adopt by status, never by presence: what to do with a bill found in Kingdee with the refund's number,
// given the scheme's end state. Pure: used by the workflow, tested alone.

export type EndState = 'saved' | 'submitted' | 'audited';
export type BillMove = 'done' | 'save-draft' | 'submit' | 'audit' | 'park';

/** FDocumentStatus values of a Kingdee bill (kingdee-webapi.md §9.3). */
const LABELS: Record<string, string> = { Z: 'Z (暂存, draft)', '': 'empty (draft)', A: 'A (创建, created)', B: 'B (审核中, submitted)', C: 'C (已审核, audited)', D: 'D (重新审核, re-audit)' };

export function billStatusLabel(status: string): string {
  return LABELS[status] ?? JSON.stringify(status);
}

/** How far along the way to audited a status is: draft 0, saved 1, submitted 2, audited 3. */
const PROGRESS: Record<string, number> = { Z: 0, '': 0, A: 1, D: 1, B: 2, C: 3 };
const GOAL: Record<EndState, number> = { saved: 1, submitted: 2, audited: 3 };

/**
 * The next step from `status` toward `endState`: a draft is saved, A/D submitted, B audited; a bill at or
 * past the end state is done. Any other status cannot be moved forward by the product: park.
 */
export function nextMove(status: string, endState: EndState): BillMove {
  const at = PROGRESS[status];
  if (at === undefined) return 'park';
  if (at >= GOAL[endState]) return 'done';
  return at === 0 ? 'save-draft' : at === 1 ? 'submit' : 'audit';
}
