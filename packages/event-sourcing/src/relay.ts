import {
  isDeadLocalOwner,
  leaseOwnerName,
  ProgressSignal,
  traceContextOf,
  traceHeaders,
  type Bus,
  type OutgoingRecord,
} from '@chat/bus';
import type { EventRecord } from '@chat/contracts';
import { comparePositions, type EventStore, type RecordedEvent, type Subscription } from '@chat/eventstore';
import type { Logger } from 'pino';
import type { CheckpointStore } from './checkpoint-store';

/** Records derived from a batch of events, for another topic. */
export interface DerivedRecords {
  topic: string;
  records: OutgoingRecord[];
}

export interface RelayOptions {
  /** Names the checkpoint and its lease; one per relay. */
  name: string;
  store: EventStore;
  bus: Bus;
  checkpoints: CheckpointStore;
  streamPrefixes: string[];
  /** Where the events go: one topic, or one per event (e.g. by type), each keeping the events' order. */
  topic: string | ((event: RecordedEvent) => string);
  /** The record key: the aggregate id, so one aggregate's events stay in order in one partition. */
  keyOf: (event: RecordedEvent) => string;
  /**
   * Records to publish for a batch before the batch itself, e.g. the whole current state of each
   * aggregate the batch changed, on a compacted topic. Whoever reads the events finds these
   * already published.
   */
  derive?: (events: RecordedEvent[]) => Promise<DerivedRecords[]>;
  logger: Logger;
  maxBatch?: number;
  /** How long a lease holds without renewal: how soon a crashed relay is replaced. Default 10 s. */
  leaseTtlMs?: number;
}

export interface Relay {
  /**
   * Resolves true once every event up to `position` is on the bus — relayed by this process or by
   * whichever holds the lease — or false after `timeoutMs`. What a command waits for before it
   * tells its client, so that the client's next request, to any service, finds the change.
   */
  published(position: string, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** The trace an event's command was decided in: kept in its metadata, carried in record headers. */
const TRACE_KEYS = new Set(['traceparent', 'tracestate']);

export const toEventRecord = (event: RecordedEvent): EventRecord => ({
  event_id: event.id,
  type: event.type,
  stream: event.streamName,
  revision: event.revision,
  data: event.data,
  metadata: Object.fromEntries(
    Object.entries(event.metadata).filter(([key]) => !TRACE_KEYS.has(key)),
  ) as EventRecord['metadata'],
  recorded_at: event.recordedAt.toISOString(),
});

/** The record of an event, its headers naming its correlation and continuing its command's trace. */
/** The batch's events grouped by their topic, in order within each. */
const byTopic = (events: RecordedEvent[], topic: RelayOptions['topic']): Map<string, RecordedEvent[]> => {
  const groups = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const name = typeof topic === 'string' ? topic : topic(event);
    const group = groups.get(name);
    if (group) group.push(event);
    else groups.set(name, [event]);
  }
  return groups;
};

const toOutgoing = (event: RecordedEvent, key: string): OutgoingRecord => {
  const correlationId = event.metadata.correlation_id;
  return {
    key,
    value: JSON.stringify(toEventRecord(event)),
    headers: {
      ...(typeof correlationId === 'string' ? { correlation_id: correlationId } : {}),
      ...traceHeaders(traceContextOf(event.metadata)),
    },
  };
};

const DEFAULT_LEASE_TTL_MS = 10_000;
const RETRY_DELAY_MS = 500;
/** How often `published` reads the checkpoint, for a relay running in another process. */
const CHECKPOINT_POLL_MS = 50;

/** A lease is renewed three times per lifetime, and an instance without it tries for it five times. */
const leaseTimings = (options: RelayOptions) => {
  const ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  return { ttlMs, renewEveryMs: ttlMs / 3, retryMs: ttlMs / 5 };
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Follows the service's own streams in the event store from a durable checkpoint and publishes
 * their events to its topic, in batches: events read while a publish is in flight go out together
 * in the next one. The checkpoint moves only after the bus has acknowledged a batch, so a crash
 * republishes (at-least-once) and never skips; consumers deduplicate by (stream, revision).
 *
 * One relay runs per service, whatever the number of replicas: each replica starts one, and only
 * the holder of the checkpoint's lease relays. The others wait to take the lease over when its
 * holder stops renewing it (crashed or stalled); a holder that lost it stops at its next renewal
 * or save, and cannot move the checkpoint meanwhile (fenced by the store).
 */
export const startRelay = (options: RelayOptions): Relay => {
  const { name, checkpoints, logger } = options;
  const owner = leaseOwnerName();
  const { ttlMs, retryMs } = leaseTimings(options);
  const publishedHere = new ProgressSignal();
  let lastPublished: string | undefined;
  const stopping = new AbortController();
  const stopped = () => stopping.signal.aborted;
  let term: LeadershipTerm | null = null;

  /** The lease, if free or expired — or held by a process of this host that died (restarted after kill -9). */
  const acquire = async () => {
    if (await checkpoints.acquire(name, owner, ttlMs)) return true;
    const holder = await checkpoints.holder(name);
    return (
      holder !== undefined && isDeadLocalOwner(holder) && checkpoints.acquire(name, owner, ttlMs, holder)
    );
  };

  const loop = (async () => {
    while (!stopped()) {
      try {
        if (await acquire()) {
          logger.info({ relay: name, owner }, 'relay holds the lease; relaying');
          term = new LeadershipTerm(options, owner, stopped, (position) => {
            lastPublished = position;
            publishedHere.changed();
          });
          await term.run();
          term = null;
          if (!stopped()) logger.warn({ relay: name, owner }, 'relay lost its lease; standing by');
        }
      } catch (error) {
        logger.error({ err: error, relay: name }, 'relay failed; starting again');
      }
      if (!stopped()) await sleep(retryMs, stopping.signal);
    }
    await checkpoints.release(name, owner).catch((error: unknown) => {
      logger.warn({ err: error, relay: name }, 'releasing the relay lease failed; it will expire');
    });
  })();

  const reached = async (position: string) => {
    if (lastPublished !== undefined && comparePositions(lastPublished, position) >= 0) return true;
    const saved = await checkpoints.load(name);
    return saved !== undefined && comparePositions(saved, position) >= 0;
  };

  return {
    async published(position, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await reached(position)) return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        await publishedHere.next(Math.min(CHECKPOINT_POLL_MS, left));
      }
    },
    async stop() {
      stopping.abort();
      await (term as LeadershipTerm | null)?.end();
      await loop;
    },
  };
};

/** One stretch of relaying while this instance holds the lease. */
class LeadershipTerm {
  private subscription: Subscription | null = null;
  private lost = false;
  private batch: RecordedEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  /** The newest position published and not yet being saved. */
  private unsaved: string | null = null;
  private saved: Promise<void> | null = null;

  constructor(
    private readonly options: RelayOptions,
    private readonly owner: string,
    private readonly stopped: () => boolean,
    private readonly onPublished: (position: string) => void,
  ) {}

  async run(): Promise<void> {
    const { store, checkpoints, name, streamPrefixes } = this.options;
    const maxBatch = this.options.maxBatch ?? 500;
    const subscription = store.subscribe({ after: await checkpoints.load(name), streamPrefixes });
    this.subscription = subscription;
    if (this.stopped()) await subscription.close();
    const { ttlMs, renewEveryMs } = leaseTimings(this.options);
    const renewal = setInterval(() => {
      checkpoints
        .acquire(name, this.owner, ttlMs)
        .then((held) => held || this.loseLease())
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error, relay: name }, 'lease renewal failed'),
        );
    }, renewEveryMs);
    try {
      for await (const event of subscription) {
        if (this.stopped() || this.lost) break;
        this.batch.push(event);
        this.scheduleFlush();
        // Backpressure: while catching up on a long history, never hold more than a few batches.
        if (this.batch.length >= maxBatch) await this.flushing;
      }
    } finally {
      clearInterval(renewal);
      this.scheduleFlush();
      await this.flushing;
      await this.saved;
    }
  }

  async end(): Promise<void> {
    await this.subscription?.close();
  }

  private loseLease(): void {
    this.lost = true;
    void this.subscription?.close();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.flushing = this.flushing.then(async () => {
      this.flushScheduled = false;
      const events = this.batch;
      this.batch = [];
      if (events.length > 0 && !this.lost) await this.publish(events);
    });
  }

  /**
   * Saves the checkpoint behind the publishes, the newest position at a time: a relay does not
   * wait for its checkpoint store (a database that may be slow under load) between two publishes.
   * A crash republishes what followed the last position saved, which consumers absorb.
   */
  private checkpoint(position: string): void {
    this.unsaved = position;
    this.saved ??= this.saveCheckpoints().finally(() => (this.saved = null));
  }

  private async saveCheckpoints(): Promise<void> {
    const { checkpoints, name, logger } = this.options;
    while (this.unsaved !== null && !this.lost) {
      const position = this.unsaved;
      this.unsaved = null;
      try {
        if (!(await checkpoints.save(name, position, this.owner))) this.loseLease();
      } catch (error) {
        logger.warn({ err: error, relay: name }, 'saving the relay checkpoint failed; retrying');
        this.unsaved ??= position;
        if (this.stopped()) return;
        await sleep(RETRY_DELAY_MS);
      }
    }
  }

  /** Publishes until the bus takes it, unless the lease is lost meanwhile. */
  private async publish(events: RecordedEvent[]): Promise<void> {
    const { bus, name, logger, topic, keyOf } = this.options;
    const last = events[events.length - 1]!.position;
    for (;;) {
      try {
        for (const derived of (await this.options.derive?.(events)) ?? []) {
          await bus.publish(derived.topic, derived.records);
        }
        for (const [eventTopic, records] of byTopic(events, topic)) {
          await bus.publish(
            eventTopic,
            records.map((event) => toOutgoing(event, keyOf(event))),
          );
        }
        this.onPublished(last);
        this.checkpoint(last);
        return;
      } catch (error) {
        if (this.lost || this.stopped()) return;
        logger.warn({ err: error, relay: name, count: events.length }, 'relay publish failed; retrying');
        await sleep(RETRY_DELAY_MS);
      }
    }
  }
}
