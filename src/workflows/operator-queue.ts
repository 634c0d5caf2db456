// What a refund does next when an attempt has ended: operator actions and newer records wait here while an
// attempt runs, and are taken with a stated precedence. Pure: used by the workflow, tested alone.

export interface ActionQueue<V> {
  skip?: { reason: string };
  /** The newest version of the record handed over (only the newest is kept). */
  newer?: V;
  reprocess?: { reason: string };
}

export type NextAction<V> = { kind: 'skip'; reason: string } | { kind: 'newer'; version: V } | { kind: 'reprocess'; reason: string };

/** Whether anything waits in the queue (does not take it). */
export function hasQueuedAction<V>(queue: ActionQueue<V>): boolean {
  return queue.skip !== undefined || queue.newer !== undefined || queue.reprocess !== undefined;
}

/**
 * Takes the next action off the queue: skip over a newer record over reprocess. An operator who skips
 * meant it whatever else arrived; a newer record already implies a fresh attempt, so a reprocess queued
 * with it is consumed by the same attempt. Returns undefined when nothing is queued.
 */
export function nextAction<V>(queue: ActionQueue<V>): NextAction<V> | undefined {
  if (queue.skip) {
    const { reason } = queue.skip;
    clear(queue);
    return { kind: 'skip', reason };
  }
  if (queue.newer !== undefined) {
    const version = queue.newer;
    clear(queue);
    return { kind: 'newer', version };
  }
  if (queue.reprocess) {
    const { reason } = queue.reprocess;
    clear(queue);
    return { kind: 'reprocess', reason };
  }
  return undefined;
}

function clear<V>(queue: ActionQueue<V>): void {
  delete queue.skip;
  delete queue.newer;
  delete queue.reprocess;
}
