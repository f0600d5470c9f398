import {
  DEV_JWT_AUDIENCE,
  DEV_JWT_ISSUER,
  DEV_JWT_SECRET,
  sendRejection,
  signToken,
  SYSTEM_USER_ID,
  USER_ID_PATTERN,
  type HttpApp,
} from '@chat/runtime';

/** Where the page asks for a development token; absent (404) unless the development secret is in use. */
export const DEV_SIGN_IN_ROUTE = '/api/dev/sign-in';

export interface DevSignInOptions {
  issuer?: string;
  audience?: string;
  /** How long a minted token lives. */
  ttlSeconds?: number;
}

/**
 * `POST /api/dev/sign-in {user_id}` → `{token, user_id, expires_in}`: a token for whoever is typed,
 * signed with the public development secret — what `pnpm token` prints. Register it only when the
 * platform verifies tokens with that secret (anyone can mint such tokens anyway), which the
 * embedded run allows on loopback only; the page shows the form only when this route answers.
 */
export const registerDevSignIn = (http: HttpApp, options: DevSignInOptions = {}): void => {
  const ttlSeconds = options.ttlSeconds ?? 12 * 3600;
  http.get(DEV_SIGN_IN_ROUTE, { config: { anonymous: true }, schema: { hide: true } }, async () => ({
    available: true,
    secret: 'development',
  }));
  http.post<{ Body: { user_id?: unknown } }>(
    DEV_SIGN_IN_ROUTE,
    { config: { anonymous: true }, schema: { hide: true } },
    async (request, reply) => {
      const userId = request.body?.user_id;
      if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId) || userId === SYSTEM_USER_ID) {
        return sendRejection(reply, {
          code: 'invalid_request',
          message: 'A user name is 1 to 128 of A-Z a-z 0-9 . _ ~ - @ : + | = (and not "system").',
        });
      }
      const token = await signToken(DEV_JWT_SECRET, {
        userId,
        ttlSeconds,
        issuer: options.issuer ?? DEV_JWT_ISSUER,
        audience: options.audience ?? DEV_JWT_AUDIENCE,
      });
      return { token, user_id: userId, expires_in: ttlSeconds };
    },
  );
};
