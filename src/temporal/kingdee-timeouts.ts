// How long a Kingdee write activity may run. Pure constants: safe to import from workflow code.
// A retried write waits out the earlier request (one request timeout), checks the bill (a read, one request
// timeout at most) and writes (one more): the start-to-close must hold all three, so the Kingdee
// connector's request timeout is capped below a third of it (connectors/kingdee/config.ts).

/** Start-to-close of a Kingdee write activity. */
export const KINGDEE_WRITE_START_TO_CLOSE_MS = 7 * 60_000;
