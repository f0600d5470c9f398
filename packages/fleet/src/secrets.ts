import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET } from '@chat/runtime';

/** The public development ENCRYPTION_KEY of `pnpm fleet` when none is given: 32 bytes as hex. */
export const DEV_ENCRYPTION_KEY = '0de7'.repeat(16);

/**
 * The secrets (and token checks) the embedded run falls back to when they are unset, so that
 * `pnpm start` and `pnpm fleet` take the same tokens (`pnpm token` signs with the same fallbacks).
 * Each fallback is public, and said loudly. A secret that gets such a fallback later joins this list.
 */
const DEV_FALLBACKS: readonly { name: string; unlessSet: string[]; value: string; risk: string }[] = [
  {
    name: 'JWT_SECRET_KEY',
    unlessSet: ['JWKS_URL'],
    value: DEV_JWT_SECRET,
    risk: 'anyone can sign a token as anyone',
  },
  {
    name: 'ENCRYPTION_KEY',
    unlessSet: [],
    value: DEV_ENCRYPTION_KEY,
    risk: 'stored messages are sealed under a key anyone can read here',
  },
  {
    name: 'JWT_ISSUER',
    unlessSet: [],
    value: DEV_JWT_ISSUER,
    risk: `tokens must name the development issuer "${DEV_JWT_ISSUER}"`,
  },
  {
    name: 'JWT_AUDIENCE',
    unlessSet: [],
    value: DEV_JWT_AUDIENCE,
    risk: `tokens must name the development audience "${DEV_JWT_AUDIENCE}"`,
  },
];

/** The fallbacks `env` needs, and the warning for each. */
export const devSecretsFor = (
  env: Readonly<Record<string, string | undefined>>,
): { env: Record<string, string>; warnings: string[] } => {
  const missing = DEV_FALLBACKS.filter(
    ({ name, unlessSet }) => !env[name] && !unlessSet.some((other) => env[other]),
  );
  return {
    env: Object.fromEntries(missing.map(({ name, value }) => [name, value])),
    warnings: missing.map(
      ({ name, unlessSet, risk }) =>
        `!!! ${name} is not set: every process of the fleet uses the PUBLIC DEV value, so ${risk}. ` +
        `Set ${[name, ...unlessSet].join(' or ')} for any real use. !!!`,
    ),
  };
};
