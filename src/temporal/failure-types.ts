// Failure types shared by activities (which throw them) and workflows (which branch on them).
// Pure constants: safe to import from workflow code.

/** The data or the ERP said no (validation, missing base data, over-return): park, never retry blindly. */
export const BUSINESS_ERROR = 'BusinessError';
/** Configuration or programming error (bad credentials, bad scheme): not retried. */
export const CONFIG_ERROR = 'ConfigError';
