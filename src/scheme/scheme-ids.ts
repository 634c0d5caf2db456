// A scheme id arrives in workflow input, which anyone who can start a workflow controls: it must name a
// scheme loaded at start-up and can never be a path (that would make the worker open files of the caller's
// choosing). Start-up configuration (ERP_BRIDGE_SCHEME) may name a file; workflow input may not.

/** As scheme files declare ids (letters, digits, `_`, `.`, `-`), minus anything that reads as a path or file name. */
const SCHEME_ID = /^[A-Za-z0-9][\w.-]{0,99}$/;
const PATH_LIKE = /\.\.|\.(ya?ml|json)$/i;

/** Not retryable: the same input will name the same unknown scheme. */
export class UnknownSchemeError extends Error {
  override readonly name = 'UnknownSchemeError';
  readonly retryable = false;
}

export function isSchemeId(text: string): boolean {
  return SCHEME_ID.test(text) && !PATH_LIKE.test(text);
}

/**
 * Throws unless `id` is a plain scheme id and, when `loaded` is given, one of those loaded at start-up.
 * The message quotes the id JSON-escaped and cut short: it is caller-controlled.
 */
export function assertSchemeId(id: unknown, loaded?: readonly string[]): asserts id is string {
  const shown = JSON.stringify(typeof id === 'string' ? id.slice(0, 80) : id);
  if (typeof id !== 'string' || !isSchemeId(id)) {
    throw new UnknownSchemeError(`schemeId ${shown} is not a scheme id (letters, digits, "_", "." and "-"; never a path or file name)`);
  }
  if (loaded && !loaded.includes(id)) {
    throw new UnknownSchemeError(`schemeId ${shown} is not a scheme loaded at start-up (loaded: ${loaded.join(', ') || 'none'}; set ERP_BRIDGE_SCHEME)`);
  }
}
