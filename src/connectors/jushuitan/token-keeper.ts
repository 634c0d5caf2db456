// Where the client gets its token pair. A refresh invalidates the old access AND refresh token, so with several
// processes (or a restart) the pair must live in one shared place; the connector only sees this port.
export interface JstTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds?: number;
}

/** Exchanges a refresh token for a new pair (the HTTP call; the keeper decides when it may happen). */
export type TokenExchange = (refreshToken: string) => Promise<JstTokens>;

export interface TokenKeeper {
  /** The pair to use for the next call. */
  current(): Promise<JstTokens>;
  /**
   * Called after Jushuitan refused `usedAccessToken` (code 100): refreshes through `exchange` unless someone
   * already replaced that token, and returns the pair to use now. At most one refresh at a time.
   */
  replace(usedAccessToken: string, exchange: TokenExchange): Promise<JstTokens>;
}

/** One process's pair in memory (tests, one-off tools): concurrent callers share one refresh. */
export function memoryTokenKeeper(initial: JstTokens, onReplaced?: (tokens: JstTokens) => void): TokenKeeper {
  let tokens = initial;
  let refreshing: Promise<JstTokens> | undefined;
  return {
    current: () => Promise.resolve(tokens),
    replace(used, exchange) {
      if (tokens.accessToken !== used) return Promise.resolve(tokens);
      refreshing ??= exchange(tokens.refreshToken)
        .then((next) => {
          tokens = next;
          onReplaced?.(next);
          return next;
        })
        .finally(() => {
          refreshing = undefined;
        });
      return refreshing;
    },
  };
}

/**
 * For tools beside running workers (the `jst` CLI): uses a pair and never refreshes it, since a refresh would kill
 * the pair the workers hold. A dead token is an error that says so.
 */
export function readOnlyTokenKeeper(tokens: TokenKeeper | JstTokens): TokenKeeper {
  const current = 'current' in tokens ? () => tokens.current() : () => Promise.resolve(tokens);
  return {
    current,
    replace: () =>
      Promise.reject(
        new Error(
          'Jushuitan refused the access token (code 100); this command does not refresh tokens, since that would kill the pair the ' +
            'workers use. A running worker refreshes it in the state store; run this command with the same ERP_BRIDGE_DATABASE_URL.',
        ),
      ),
  };
}
