// Version 4: what was synced, as the drift check compares it. record_digest covers the whole projection, version
// field included, so every new version differs; content_digest leaves the version out: a new version that changes
// nothing the scheme reads keeps its digest and is not drift. Rows from before it are compared by their snapshot.
export default {
  version: 4,
  name: 'decision content digest (drift)',
  sql: `
    alter table refund_decisions add column content_digest text;
  `,
};
