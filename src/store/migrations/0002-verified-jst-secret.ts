// Version 2: which Jushuitan app secret has been verified against Jushuitan, so only the first worker to start
// with a new secret spends a call of the app key's budget on checking it (the others find it verified).
export default {
  version: 2,
  name: 'verified Jushuitan app secret',
  sql: `
    alter table jst_tokens add column verified_secret_digest text;
  `,
};
