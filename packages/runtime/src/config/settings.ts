import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';

const PositiveInt = Type.Integer({ minimum: 1 });
/** Fractions allowed: tests shorten timings (presence to seconds, stalls to a fraction of one). */
const PositiveFraction = Type.Number({ exclusiveMinimum: 0 });

export const Settings = Type.Object({
  websocket: Type.Object({
    max_connections_per_user: PositiveInt,
    heartbeat_interval: PositiveInt,
    connection_timeout: PositiveInt,
    max_frame_bytes: PositiveInt,
    max_backpressure_bytes: PositiveInt,
    max_unauthenticated_per_address: PositiveInt,
    trust_forwarded_for: Type.Boolean(),
    /** Origins whose pages may open a WebSocket besides the gateway's own, comma-separated; `*`: any. */
    allowed_origins: Type.String(),
    /** A send is refused `overloaded` while the oldest command awaiting its answer is older. */
    max_command_lag_ms: PositiveInt,
  }),
  messages: Type.Object({
    max_message_length: PositiveInt,
    max_file_size: PositiveInt,
    /** Days a room keeps its messages unless it sets its own within the bounds below. */
    retention_days: PositiveFraction,
    retention_days_min: PositiveFraction,
    retention_days_max: PositiveFraction,
    /** How often each message service replica looks for expired messages. */
    retention_sweep_interval_minutes: PositiveFraction,
    /** Rooms one sweep looks at; the next sweep goes on where it stopped. */
    retention_sweep_max_rooms: PositiveInt,
  }),
  rate_limiting: Type.Object({
    messages_per_minute: PositiveInt,
    files_per_hour: PositiveInt,
    rooms_per_day: PositiveInt,
    edits_per_minute: PositiveInt,
    joins_per_minute: PositiveInt,
    reactions_per_minute: PositiveInt,
    presence_updates_per_minute: PositiveInt,
  }),
  presence: Type.Object({
    offline_threshold_minutes: PositiveFraction,
    cleanup_interval_minutes: PositiveFraction,
  }),
  media: Type.Object({ upload_url_expiry_seconds: PositiveInt, download_url_expiry_seconds: PositiveInt }),
  features: Type.Object({
    file_sharing: Type.Boolean(),
    message_reactions: Type.Boolean(),
    push_notifications: Type.Boolean(),
  }),
  notification: Type.Object({
    /**
     * Where pushes and webhooks may go besides public addresses, comma-separated: host names, IP
     * addresses, CIDR ranges. Empty: public addresses only.
     */
    allowed_hosts: Type.String(),
  }),
  /** The content filter of the whole deployment; rooms may add to it. */
  moderation: Type.Object({
    /** Comma-separated, or a YAML list (needed for an expression holding a comma); `/…/`: an expression. */
    blocked_terms: Type.Union([Type.String(), Type.Array(Type.String())]),
    block_links: Type.Boolean(),
  }),
  /** Encryption at rest (docs/privacy.md); the key itself is ENCRYPTION_KEY, never a setting. */
  privacy: Type.Object({
    /** One data key per room (or scope), user and period of this length. */
    key_period_ms: PositiveInt,
    /** Unwrapped data keys kept in memory at most. */
    key_cache_size: PositiveInt,
    /** How long an unwrapped key is used before the key store is asked again (a destroyed key stops within it). */
    key_cache_ttl_ms: PositiveInt,
  }),
  bus: Type.Object({
    /** A consumer whose batch has been in its handler this long makes its service not ready. */
    stall_threshold_seconds: PositiveFraction,
  }),
});
export type Settings = Static<typeof Settings>;

const DEFAULT_CONFIG = fileURLToPath(new URL('../../../../config/default.yaml', import.meta.url));

/** The specification's feature flags, mapped onto `features.*`. */
const FEATURE_FLAGS: Record<string, keyof Settings['features']> = {
  ENABLE_FILE_SHARING: 'file_sharing',
  ENABLE_MESSAGE_REACTIONS: 'message_reactions',
  ENABLE_PUSH_NOTIFICATIONS: 'push_notifications',
};

const parseScalar = (raw: string): unknown => {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const number = Number(raw);
  return raw.trim() !== '' && Number.isFinite(number) ? number : raw;
};

/** Applies CHAT_<SECTION>__<KEY>=value overrides onto the loaded document. */
const applyOverrides = (document: Record<string, Record<string, unknown>>, env: NodeJS.ProcessEnv) => {
  for (const [name, raw] of Object.entries(env)) {
    const match = /^CHAT_([A-Z0-9_]+?)__([A-Z0-9_]+)$/.exec(name);
    if (!match || raw === undefined) continue;
    const section = match[1]!.toLowerCase();
    document[section] = { ...document[section], [match[2]!.toLowerCase()]: parseScalar(raw) };
  }
  for (const [name, feature] of Object.entries(FEATURE_FLAGS)) {
    const raw = env[name];
    if (raw !== undefined)
      document.features = { ...document.features, [feature]: raw === 'true' || raw === '1' };
  }
};

export class InvalidSettingsError extends Error {
  override readonly name = 'InvalidSettingsError';
}

/** Loads the YAML settings file (CHAT_CONFIG or config/default.yaml) with environment overrides. */
export const loadSettings = (env: NodeJS.ProcessEnv = process.env): Settings => {
  const path = env.CHAT_CONFIG ?? DEFAULT_CONFIG;
  const document = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Record<string, Record<string, unknown>>;
  applyOverrides(document, env);
  const settings = Value.Clean(Settings, Value.Clone(document));
  if (!Value.Check(Settings, settings)) {
    const first = Value.Errors(Settings, settings).First();
    throw new InvalidSettingsError(`Invalid settings in ${path}: ${first?.path} ${first?.message}`);
  }
  const { retention_days, retention_days_min, retention_days_max } = settings.messages;
  if (!(retention_days_min <= retention_days && retention_days <= retention_days_max)) {
    throw new InvalidSettingsError(
      `Invalid settings in ${path}: messages.retention_days (${retention_days}) must lie within ` +
        `messages.retention_days_min (${retention_days_min}) and messages.retention_days_max (${retention_days_max}).`,
    );
  }
  return settings;
};
