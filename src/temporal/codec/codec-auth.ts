// Who may call the codec server. Two ways, either or both (Temporal's codec-server guidance: authenticate
// every caller, since /decode hands out plain payloads):
//   - a configured bearer token (ERP_BRIDGE_CODEC_AUTH_TOKEN): the temporal CLI sends it with --codec-auth;
//   - the Web UI's SSO access token (a JWT, sent when the UI's codec setting "pass access token" is on),
//     verified against the identity provider's JWKS (ERP_BRIDGE_CODEC_JWKS_URL, optional issuer/audience).
import { createHash, timingSafeEqual } from 'node:crypto';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };

export interface CodecAuthConfig {
  /** Shared secret expected as `Authorization: Bearer <token>`. */
  token?: string;
  /** JWKS of the Web UI's identity provider; a bearer JWT signed by one of its keys is accepted. */
  jwksUrl?: string;
  jwtIssuer?: string;
  jwtAudience?: string;
}

export type AuthVerdict = { ok: true; via: 'token' | 'jwt' } | { ok: false; reason: string };

/** Checks one request's `Authorization` header. */
export type CodecAuthenticator = (authorization: string | undefined) => Promise<AuthVerdict>;

export function isAuthConfigured(config: CodecAuthConfig | undefined): boolean {
  return Boolean(config?.token || config?.jwksUrl);
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Undefined when neither a token nor a JWKS URL is configured. */
export function createCodecAuthenticator(config: CodecAuthConfig | undefined): CodecAuthenticator | undefined {
  if (!config || !isAuthConfigured(config)) return undefined;
  const tokenDigest = config.token ? digest(config.token) : undefined;
  const verifyJwt = config.jwksUrl ? jwtVerifier(config.jwksUrl, config.jwtIssuer, config.jwtAudience) : undefined;

  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'missing "Authorization: Bearer <token>" header' };
    const presented = match[1]!;
    // Compare digests in constant time: the token's length and content do not leak through timing.
    if (tokenDigest && timingSafeEqual(digest(presented), tokenDigest)) return { ok: true, via: 'token' };
    if (verifyJwt && presented.split('.').length === 3) {
      const problem = await verifyJwt(presented);
      return problem === undefined ? { ok: true, via: 'jwt' } : { ok: false, reason: `access token rejected: ${problem}` };
    }
    return { ok: false, reason: 'bearer token not accepted' };
  };
}

/** A verifier bound to one remote key set (fetched on first use, cached and refreshed by jose). */
function jwtVerifier(jwksUrl: string, issuer: string | undefined, audience: string | undefined): (jwt: string) => Promise<string | undefined> {
  // jose is ESM-only: loaded on first use through a dynamic import, which works from this CommonJS build.
  let keySet: Promise<{ jose: typeof Jose; jwks: ReturnType<typeof Jose.createRemoteJWKSet> }> | undefined;
  return async (jwt) => {
    keySet ??= import('jose').then((jose) => ({ jose, jwks: jose.createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000 }) }));
    const { jose, jwks } = await keySet;
    try {
      await jose.jwtVerify(jwt, jwks, { issuer, audience });
      return undefined;
    } catch (err) {
      // jose's codes say what failed (expired, bad signature, wrong audience) without echoing the token.
      const code = (err as { code?: unknown }).code;
      return typeof code === 'string' ? code : 'invalid token';
    }
  };
}
