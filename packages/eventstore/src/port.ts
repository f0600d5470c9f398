/**
 * The event store port. Streams are ordered, append-only logs named `<category>-<id>`; the
 * whole store also has one global order (`position`) that subscriptions follow.
 *
 * Revisions are 0-based: the first event of a stream has revision 0, and a stream's revision is
 * that of its last event. Positions are strings to store and hand back; their only meaning
 * outside an adapter is their order, which `comparePositions` gives.
 */

export interface NewEvent {
  /** UUID. Appending an event whose id is already in the stream at the same place is a no-op. */
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface RecordedEvent {
  id: string;
  type: string;
  streamName: string;
  revision: number;
  /** Global position; strictly increasing in the order subscriptions deliver. */
  position: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: Date;
}

/**
 * `no_stream`: the stream must not exist. `stream_exists`: it must. `any`: no check. A number: the
 * stream's current revision must be exactly that.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendResult {
  /** Revision of the stream after the append (its last event's revision). */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: string;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or null when it does not exist. */
    readonly actual: number | null,
  ) {
    super(
      `Stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual ?? 'no stream')}`,
    );
  }
}

export interface ReadStreamOptions {
  /** Default: 'forwards'. */
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; default: the start (forwards) or the end (backwards). */
  fromRevision?: number;
  /** Default: unbounded. */
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Deliver events after this position; omit for the very beginning. */
  after?: string;
  /** Only streams whose names start with one of these prefixes (a category filter). */
  streamPrefixes?: string[];
}

/** A catch-up subscription: past events from `after`, then live ones, in global order. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/** One stream's part of `appendMany`. */
export interface StreamAppend {
  streamName: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

/** What became of one stream's part of `appendMany`: appended, or refused for its expected revision. */
export type StreamAppendResult =
  ({ ok: true } & AppendResult) | { ok: false; error: WrongExpectedRevisionError };

export interface EventStore {
  append(streamName: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to many streams at once, each checked against its own expected revision: a stream
   * whose check fails is left unchanged and reported, the others are appended. Results come in
   * the order of `appends`. As cheap as the engine allows (SQLite: one transaction for all).
   */
  appendMany(appends: StreamAppend[]): Promise<StreamAppendResult[]>;
  /** Reads a stream; a stream that does not exist reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** The stream's current revision, or null when it does not exist. */
  streamRevision(streamName: string): Promise<number | null>;
  subscribe(options?: SubscribeOptions): Subscription;
  /**
   * The position of the newest event in the streams with these prefixes (in all streams without),
   * or null when there is none. A catch-up subscription that has delivered it has delivered
   * everything appended before this call: how a reader of the whole store knows it is done.
   */
  lastPosition(options?: Pick<SubscribeOptions, 'streamPrefixes'>): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * Orders two positions of the same store: negative, zero or positive as `a` is before, at or
 * after `b`. Every adapter writes positions as non-negative integers joined by '/' (SQLite: the
 * row id; EventStoreDB: commit/prepare), compared part by part.
 */
export const comparePositions = (a: string, b: string): number => {
  const left = a.split('/').map(BigInt);
  const right = b.split('/').map(BigInt);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0n) - (right[i] ?? 0n);
    if (difference !== 0n) return difference < 0n ? -1 : 1;
  }
  return 0;
};
