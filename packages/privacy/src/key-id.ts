import { createHash } from 'node:crypto';

/** The scope of file-name keys (message content keys are scoped by room id). */
export const FILES_SCOPE = 'files';

/** What one data key covers: everything one user wrote in one scope during one period. */
export interface KeyRef {
  /** A room id for message content; `files` for file names; `file:<id>` for one file's key. */
  scope: string;
  user_id: string;
  /** floor(time / key_period_ms). */
  period: number;
}

/** The period a moment falls in. */
export const periodOf = (at: number | string | Date, periodMs: number): number => {
  const ms = typeof at === 'number' ? at : new Date(at).getTime();
  if (!Number.isFinite(ms)) throw new TypeError(`Not a time: ${String(at)}`);
  return Math.floor(ms / periodMs);
};

/**
 * The id of the data key of (scope, user, period): a hash, so every process finds the same key
 * without asking anyone, and the id (visible in each sealed value) names neither the user nor the
 * room. 22 base64url characters (132 bits).
 */
export const keyIdOf = ({ scope, user_id, period }: KeyRef): string =>
  `k${createHash('sha256')
    .update(JSON.stringify([scope, user_id, period]))
    .digest('base64url')
    .slice(0, 22)}`;

/** The scope of one file's key: the file alone. */
export const fileKeyScope = (fileId: string): string => `file:${fileId}`;

/** The key of one file (its blob and name): one period, owned by the uploader. */
export const fileKeyRef = (fileId: string, uploaderId: string): KeyRef => ({
  scope: fileKeyScope(fileId),
  user_id: uploaderId,
  period: 0,
});
