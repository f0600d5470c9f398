import type { Rejection, Result } from '@chat/contracts';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';

export interface Principal {
  userId: string;
  name: string | null;
  /** Platform administrators (claim `roles` containing `admin`) may manage any room. */
  isAdmin: boolean;
  /** Seconds since the epoch; the gateway closes the connection when it passes. */
  expiresAt: number | null;
}

export interface AuthSettings {
  /** HS256 shared secret (JWT_SECRET_KEY). */
  secret?: string;
  /** A JWKS endpoint (JWKS_URL) for asymmetric keys. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The longest a token may live from now (JWT_MAX_LIFETIME_SECONDS); default a day. */
  maxLifetimeSeconds?: number;
}

export interface Authenticator {
  verify(token: string): Promise<Result<Principal, Rejection>>;
}

/**
 * An authenticator that also refuses valid tokens of some users (e.g. suspended ones), asked on
 * every verification, so a refusal takes effect on the next request or `authenticate`.
 */
export const refusingUsers = (
  authenticator: Authenticator,
  refuse: (userId: string) => Rejection | null,
): Authenticator => ({
  async verify(token) {
    const verified = await authenticator.verify(token);
    if (!verified.ok) return verified;
    const refusal = refuse(verified.value.userId);
    return refusal ? { ok: false, error: refusal } : verified;
  },
});

const SYMMETRIC_ALGORITHMS = ['HS256'];
const ASYMMETRIC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/**
 * The platform's own actor: it seeds `general`, acts for the services and owns every direct room,
 * so no token may speak as it.
 */
export const SYSTEM_USER_ID = 'system';

/** The secret of the embedded run when JWT_SECRET_KEY is unset. Never for production. */
export const DEV_JWT_SECRET = 'chat-dev-secret-do-not-use-in-production';

/**
 * The issuer and audience `pnpm token` signs for when JWT_ISSUER / JWT_AUDIENCE are unset, and
 * what `pnpm fleet` (and docker-compose.yml) check when they are unset: so a development token
 * works against the embedded run and the fleet alike.
 */
export const DEV_JWT_ISSUER = 'chat-platform';
export const DEV_JWT_AUDIENCE = 'chat-platform';

export const authSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): AuthSettings => ({
  secret: env.JWT_SECRET_KEY || undefined,
  jwksUrl: env.JWKS_URL || undefined,
  issuer: env.JWT_ISSUER || undefined,
  audience: env.JWT_AUDIENCE || undefined,
  maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS ? Number(env.JWT_MAX_LIFETIME_SECONDS) : undefined,
});

/**
 * A fleet process verifies tokens for one issuer and one audience: without them, a token any other
 * system signed with the same key (or JWKS) would be taken for one of ours.
 */
export const fleetAuthSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): AuthSettings => {
  const settings = authSettingsFromEnv(env);
  if (!settings.issuer || !settings.audience) {
    throw new Error(
      'JWT_ISSUER and JWT_AUDIENCE must be set: a service checks that every token was issued for this platform.',
    );
  }
  return settings;
};

/**
 * What a user id (the token's `sub`) may be: 1 to 128 of A-Z a-z 0-9 and `. _ ~ - @ : + | =` —
 * enough for the ids identity providers issue (UUIDs, `auth0|…`, e-mail addresses, base64url), and
 * nothing that could pass for something else in a path, a log line or a display: no spaces,
 * slashes, quotes, percent signs, controls or look-alike letters.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9._~@:+|=-]{1,128}$/;

/** A shorter HS256 secret can be guessed offline from any token it signed (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;
const DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600;

export const createAuthenticator = (settings: AuthSettings): Authenticator => {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (settings.jwksUrl) {
    key = createRemoteJWKSet(new URL(settings.jwksUrl));
    algorithms = ASYMMETRIC_ALGORITHMS;
  } else if (settings.secret) {
    key = new TextEncoder().encode(settings.secret);
    if (key.length < MIN_SECRET_BYTES) {
      throw new Error(`JWT_SECRET_KEY must be at least ${MIN_SECRET_BYTES} bytes (it has ${key.length}).`);
    }
    algorithms = SYMMETRIC_ALGORITHMS;
  } else {
    throw new Error('Authentication needs JWT_SECRET_KEY or JWKS_URL');
  }
  const options = { algorithms, issuer: settings.issuer, audience: settings.audience };
  const maxLifetimeSeconds = settings.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;

  return {
    async verify(token) {
      try {
        const { payload } = await (typeof key === 'function'
          ? jwtVerify(token, key, options)
          : jwtVerify(token, key, options));
        if (typeof payload.sub !== 'string' || !USER_ID_PATTERN.test(payload.sub)) {
          return {
            ok: false,
            error: {
              code: 'invalid_token',
              message: 'Token "sub" must be 1 to 128 of A-Z a-z 0-9 . _ ~ - @ : + | =.',
            },
          };
        }
        // A token without an end would hold its socket open for ever and outlive any revocation.
        if (payload.exp === undefined) {
          return { ok: false, error: { code: 'invalid_token', message: 'Token has no "exp" claim.' } };
        }
        if (payload.exp - Date.now() / 1000 > maxLifetimeSeconds) {
          return {
            ok: false,
            error: { code: 'invalid_token', message: `Token lives longer than ${maxLifetimeSeconds} s.` },
          };
        }
        if (payload.sub === SYSTEM_USER_ID) {
          return {
            ok: false,
            error: {
              code: 'invalid_token',
              message: `The user id "${SYSTEM_USER_ID}" is reserved for the platform.`,
            },
          };
        }
        const roles = Array.isArray(payload.roles) ? payload.roles : [];
        return {
          ok: true,
          value: {
            userId: payload.sub,
            name: typeof payload.name === 'string' ? payload.name : null,
            isAdmin: roles.includes('admin'),
            expiresAt: payload.exp ?? null,
          },
        };
      } catch (error) {
        if (error instanceof errors.JWTExpired) {
          return { ok: false, error: { code: 'token_expired', message: 'Token has expired.' } };
        }
        const reason = error instanceof errors.JOSEError ? error.code : 'ERR_UNKNOWN';
        return { ok: false, error: { code: 'invalid_token', message: `Token rejected (${reason}).` } };
      }
    },
  };
};

/**
 * The user id a token claims (`sub`), read without checking the token: only to say whose account
 * a refused token named (failed authentications are audited per user). Null if it names none.
 */
export const claimedSubject = (token: string): string | null => {
  try {
    const { sub } = decodeJwt(token);
    return typeof sub === 'string' && USER_ID_PATTERN.test(sub) ? sub : null;
  } catch {
    return null;
  }
};

export interface TokenClaims {
  userId: string;
  name?: string;
  admin?: boolean;
  /** Seconds until expiry; negative for an already expired token (tests). */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token: for the `pnpm token` command, the SDK's examples and the tests. */
export const signToken = async (secret: string, claims: TokenClaims): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({
    ...(claims.name ? { name: claims.name } : {}),
    roles: claims.admin ? ['admin'] : [],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? 3600));
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
};
