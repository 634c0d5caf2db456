// Switchable server behaviours for many-bill calls (kingdee-batching.md §4), where Kingdee's exact behaviour is
// inferred rather than documented: tests and the chaos run turn each one on to prove the batcher copes.
import { z } from 'zod';

export const BatchBehaviours = z.object({
  /** (a) With BatchCount > 1, DIndex counts within each server-side group instead of the whole Model. */
  dIndexPerGroup: z.boolean().default(false),
  /** (b) An over-return is refused at Save (and BatchSave) instead of only at Audit. */
  overReturnAtSave: z.boolean().default(false),
  /** (c) A number that does not exist in Submit/Audit/… is skipped silently (IsSuccess true) instead of MsgCode 10. */
  skipUnknownNumbers: z.boolean().default(false),
  /** (d) Results listed in load (Id) order, not request order. */
  resultsInLoadOrder: z.boolean().default(false),
  /** (e) A write call that links to a SAL_OUTSTOCK another in-flight call links to fails with MsgCode 13. */
  sourceLockConflicts: z.boolean().default(false),
  /** (f) Errors come without DIndex (interactive-prompt failures, old servers). */
  errorsWithoutDIndex: z.boolean().default(false),
  /** (g) A BatchSave is one transaction: any failing bill rolls the whole call back with one DIndex 0 error. */
  groupRollback: z.boolean().default(false),
});
export type BatchBehaviours = z.infer<typeof BatchBehaviours>;
export type BatchBehavioursInput = z.input<typeof BatchBehaviours>;
