import type { Settings } from '../config/settings';
import type { BucketRule } from './token-bucket';

const MINUTE_MS = 60_000;

/** The per-user budgets, each shared by the WebSocket frames and the REST routes that spend it. */
const LIMITS = {
  messages: (s: Settings) => ({ perMinute: s.rate_limiting.messages_per_minute, what: 'messages' }),
  edits: (s: Settings) => ({ perMinute: s.rate_limiting.edits_per_minute, what: 'edits and deletions' }),
  joins: (s: Settings) => ({ perMinute: s.rate_limiting.joins_per_minute, what: 'joins' }),
  reactions: (s: Settings) => ({ perMinute: s.rate_limiting.reactions_per_minute, what: 'reactions' }),
  presence: (s: Settings) => ({
    perMinute: s.rate_limiting.presence_updates_per_minute,
    what: 'presence updates',
  }),
} as const;

export type UserLimit = keyof typeof LIMITS;

/** The bucket of `limit` for one user: its key in the limiter, its rule, and how a refusal reads. */
export const userBucket = (
  settings: Settings,
  limit: UserLimit,
  userId: string,
): { key: string; rule: BucketRule; refusal: string } => {
  const { perMinute, what } = LIMITS[limit](settings);
  return {
    key: `${limit}:${userId}`,
    rule: { capacity: perMinute, periodMs: MINUTE_MS },
    refusal: `At most ${perMinute} ${what} per minute.`,
  };
};
