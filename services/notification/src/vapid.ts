import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@chat/runtime';
import webPush from 'web-push';
import type { VapidKeys } from './deliveries/http-sender';

export const DEFAULT_VAPID_SUBJECT = 'mailto:notifications@localhost';

/**
 * The VAPID keys from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY / VAPID_SUBJECT. Without them, a key
 * pair is generated — and kept in `keyFile` when given (the embedded run), since browsers bind a
 * subscription to the key it was made with — and the log says so loudly.
 */
export const vapidKeysFromEnv = (env: NodeJS.ProcessEnv, logger: Logger, keyFile?: string): VapidKeys => {
  const subject = env.VAPID_SUBJECT ?? DEFAULT_VAPID_SUBJECT;
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) {
    return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject };
  }
  if (keyFile && existsSync(keyFile)) {
    const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { publicKey: string; privateKey: string };
    logger.warn(
      { key_file: keyFile },
      '!!! VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY are not set: using the VAPID keys generated earlier. Set them for any real use. !!!',
    );
    return { ...stored, subject };
  }
  const generated = webPush.generateVAPIDKeys();
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(generated), { mode: 0o600 });
  }
  logger.warn(
    { vapid_public_key: generated.publicKey, key_file: keyFile ?? null },
    '!!! VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY are not set: GENERATED a VAPID key pair. Push subscriptions are bound ' +
      'to it; set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT for any real use. !!!',
  );
  return { ...generated, subject };
};

/** Retry tuning from the environment: NOTIFICATION_RETRY_BASE_MS (1000), NOTIFICATION_MAX_ATTEMPTS (5). */
export const retryOptionsFromEnv = (env: NodeJS.ProcessEnv) => ({
  retryBaseMs: Number(env.NOTIFICATION_RETRY_BASE_MS ?? 1000),
  maxAttempts: Number(env.NOTIFICATION_MAX_ATTEMPTS ?? 5),
});
