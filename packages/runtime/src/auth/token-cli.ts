import { parseArgs } from 'node:util';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET, signToken } from './authenticator';

/** `pnpm token <user> [--name N] [--admin] [--ttl seconds]`: prints a JWT for the configured secret. */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    admin: { type: 'boolean', default: false },
    ttl: { type: 'string', default: '86400' },
  },
});
const userId = positionals[0];
if (!userId) {
  process.stderr.write('usage: pnpm token <user_id> [--name NAME] [--admin] [--ttl SECONDS]\n');
  process.exit(2);
}
const secret = process.env.JWT_SECRET_KEY || DEV_JWT_SECRET;
if (!process.env.JWT_SECRET_KEY)
  process.stderr.write('JWT_SECRET_KEY is unset: signing with the dev secret.\n');
const token = await signToken(secret, {
  userId,
  name: values.name,
  admin: values.admin,
  ttlSeconds: Number(values.ttl),
  issuer: process.env.JWT_ISSUER || DEV_JWT_ISSUER,
  audience: process.env.JWT_AUDIENCE || DEV_JWT_AUDIENCE,
});
process.stdout.write(`${token}\n`);
