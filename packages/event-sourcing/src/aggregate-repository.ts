import {
  activeTraceContext,
  contextOfSpan,
  failSpan,
  startSpan,
  startSpanFor,
  traceHeaders,
  withSpan,
  type TraceContext,
} from '@chat/bus';
import { reject, type Rejection, type Result } from '@chat/contracts';
import type { EventStore, NewEvent, RecordedEvent, StreamAppend } from '@chat/eventstore';
import type { Decider } from './decider';
import { eventIdFor } from './event-id';

export interface DomainEvent {
  type: string;
  data: unknown;
}

export interface Loaded<State> {
  state: State;
  /** The stream's revision, or null when it does not exist yet. */
  revision: number | null;
}

export interface Executed<Event, State> extends Loaded<State> {
  /** What this command appended: empty when the decider found nothing to do (e.g. a repeat). */
  events: Event[];
  /**
   * The store position of the append that carried the command's events (shared with the other
   * commands of its batch on the same stream); null when nothing was appended.
   */
  position: string | null;
}

/** A command for one stream, with the ids its events are derived from and the metadata they carry. */
export interface ExecuteRequest<Command> {
  streamName: string;
  command: Command;
  commandId: string;
  metadata: Record<string, unknown>;
  /**
   * The trace the command belongs to (a consumed record's span), when not the active one: its
   * decision is traced there, and its events carry it in their metadata for the relay.
   */
  trace?: TraceContext;
}

export type ExecuteResult<Event, State> = Result<Executed<Event, State>, Rejection>;

/** A stream's commands decided in order on its state, ready to append. */
interface StreamPlan<Event, State> {
  streamName: string;
  loaded: Loaded<State>;
  /** Per accepted command: its index in the request list, its events, the state after it, and the events of the stream's append up to and including its own. */
  accepted: { index: number; events: Event[]; state: State; eventsSoFar: number }[];
  events: NewEvent[];
  state: State;
  /** The trace of each command decided into the plan, for the append's span. */
  traces: TraceContext[];
}

/**
 * Loads aggregates from their streams, runs their decider and appends the outcome with optimistic
 * concurrency — a batch of commands at a time. The commands of one stream are decided in order,
 * each on the state the previous left, and appended together; the streams of a batch go to the
 * store in one `appendMany`. States are cached (LRU) with their revision, so a hot room is not
 * re-read for every batch. A stream whose append meets a concurrent writer (a wrong expected
 * revision) drops its cached state and has its commands decided again on fresh state; after
 * `maxAttempts` the commands are rejected with `conflict` rather than thrown.
 */
export interface RepositoryOptions<State> {
  /** The cached states' total weight is kept within this (10,000: ten thousand states of weight 1). */
  cacheWeight?: number;
  /** A state's weight in the cache (1 each by default): e.g. the entries it holds. */
  weigh?: (state: State) => number;
  maxAttempts?: number;
  /** Told how long each `appendMany` took (seconds), failed ones included: for the service's metrics. */
  observeAppend?: (seconds: number) => void;
  /**
   * Turns a stream's new events into what is stored, just before the append (e.g. seals what
   * users wrote): the decider and the cached states see the events as decided.
   */
  beforeAppend?: (streamName: string, events: NewEvent[]) => Promise<NewEvent[]>;
}

export class AggregateRepository<Command, Event extends DomainEvent, State> {
  /** In order of last use: the first entry is the least recently remembered. */
  private readonly cache = new Map<string, { loaded: Loaded<State>; weight: number }>();
  private cachedWeight = 0;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly options: RepositoryOptions<State> = {},
  ) {}

  /** The cached states' total weight (never above `cacheWeight`, but for one state heavier alone). */
  get cacheLoad(): number {
    return this.cachedWeight;
  }

  async load(streamName: string): Promise<Loaded<State>> {
    const cached = this.cache.get(streamName)?.loaded;
    const from = cached ?? { state: this.decider.initialState, revision: null };
    const loaded = await this.catchUp(streamName, from);
    this.remember(streamName, loaded);
    return loaded;
  }

  async execute(request: ExecuteRequest<Command>): Promise<ExecuteResult<Event, State>> {
    const [result] = await this.executeMany([request]);
    return result!;
  }

  /** Results in the order of `requests`. Only infrastructure failures throw. */
  async executeMany(requests: ExecuteRequest<Command>[]): Promise<ExecuteResult<Event, State>[]> {
    const results: ExecuteResult<Event, State>[] = new Array(requests.length);
    const maxAttempts = this.options.maxAttempts ?? 5;
    let pending = requests.map((_, index) => index);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const plans: StreamPlan<Event, State>[] = [];
      for (const [streamName, indices] of byStream(requests, pending)) {
        const plan = this.decide(streamName, await this.current(streamName), requests, indices, results);
        if (plan.events.length > 0) plans.push(plan);
      }
      const appended = await this.append(plans);
      pending = [];
      appended.forEach((outcome, i) => {
        const plan = plans[i]!;
        if (outcome.ok) return this.settle(plan, outcome.nextExpectedRevision, outcome.position, results);
        // Every command of the stream was decided on stale state: all are decided again.
        const indices = indicesOf(requests, plan.streamName);
        for (const index of indices) delete results[index];
        this.forget(plan.streamName);
        if (attempt < maxAttempts) pending.push(...indices);
        else for (const index of indices) results[index] = { ok: false, error: conflict(plan.streamName) };
      });
      pending.sort((a, b) => a - b);
    }
    return results;
  }

  /** One `appendMany` for the plans, traced under the commands that made them. */
  private async append(plans: StreamPlan<Event, State>[]) {
    const { beforeAppend } = this.options;
    const appends = plans.map(appendOf);
    const stored = beforeAppend
      ? await Promise.all(
          appends.map(async (each) => ({
            ...each,
            events: await beforeAppend(each.streamName, each.events),
          })),
        )
      : appends;
    const span = startSpanFor(
      'append',
      plans.flatMap((plan) => plan.traces),
      {
        'chat.streams': plans.length,
        'chat.events': plans.reduce((sum, plan) => sum + plan.events.length, 0),
      },
    );
    const started = performance.now();
    return withSpan(span, () => this.store.appendMany(stored)).finally(() =>
      this.options.observeAppend?.((performance.now() - started) / 1000),
    );
  }

  /**
   * The state to decide on: the cached one as it is — the append's expected revision catches a
   * writer elsewhere, and a conflict drops the cache — else loaded from the stream. Skipping the
   * catch-up read saves a query per room per batch.
   */
  private async current(streamName: string): Promise<Loaded<State>> {
    return this.cache.get(streamName)?.loaded ?? this.load(streamName);
  }

  /** Decides the stream's commands in order; rejections and no-op decisions are settled at once. */
  private decide(
    streamName: string,
    loaded: Loaded<State>,
    requests: ExecuteRequest<Command>[],
    indices: number[],
    results: ExecuteResult<Event, State>[],
  ): StreamPlan<Event, State> {
    const plan: StreamPlan<Event, State> = {
      streamName,
      loaded,
      accepted: [],
      events: [],
      state: loaded.state,
      traces: [],
    };
    for (const index of indices) {
      const request = requests[index]!;
      const span = startSpan(
        'decide',
        { 'chat.stream': streamName, 'chat.command_id': request.commandId },
        request.trace ?? activeTraceContext(),
      );
      const decided = this.decider.decide(request.command, plan.state);
      if (!decided.ok) {
        span.setAttribute('chat.rejection', decided.error.code);
        failSpan(span, `${decided.error.code}: ${decided.error.message}`);
        span.end();
        results[index] = decided;
        continue;
      }
      span.end();
      const traced = contextOfSpan(span);
      plan.traces.push(traced);
      const metadata = { ...request.metadata, ...traceHeaders(traced) };
      const events = decided.value;
      plan.state = events.reduce(this.decider.evolve, plan.state);
      plan.events.push(
        ...events.map((event, n) => ({
          id: eventIdFor(request.commandId, n),
          type: event.type,
          data: event.data,
          metadata,
        })),
      );
      plan.accepted.push({ index, events, state: plan.state, eventsSoFar: plan.events.length });
      if (plan.events.length === 0) {
        results[index] = {
          ok: true,
          value: { state: plan.state, revision: loaded.revision, events, position: null },
        };
      }
    }
    return plan;
  }

  private settle(
    plan: StreamPlan<Event, State>,
    lastRevision: number,
    position: string,
    results: ExecuteResult<Event, State>[],
  ): void {
    this.remember(plan.streamName, { state: plan.state, revision: lastRevision });
    const before = lastRevision - plan.events.length;
    for (const { index, events, state, eventsSoFar } of plan.accepted) {
      const revision = eventsSoFar === 0 ? plan.loaded.revision : before + eventsSoFar;
      results[index] = { ok: true, value: { state, revision, events, position } };
    }
  }

  private async catchUp(streamName: string, from: Loaded<State>): Promise<Loaded<State>> {
    let { state, revision } = from;
    const events = this.store.readStream(streamName, { fromRevision: revision === null ? 0 : revision + 1 });
    for await (const recorded of events) {
      state = this.decider.evolve(state, toDomainEvent<Event>(recorded));
      revision = recorded.revision;
    }
    return { state, revision };
  }

  /** Keeps the newest state known: a slow load never replaces what a later append remembered. */
  private remember(streamName: string, loaded: Loaded<State>): void {
    const cached = this.cache.get(streamName)?.loaded;
    if (cached && (cached.revision ?? -1) > (loaded.revision ?? -1)) return;
    this.forget(streamName);
    const weight = this.options.weigh?.(loaded.state) ?? 1;
    this.cache.set(streamName, { loaded, weight });
    this.cachedWeight += weight;
    // Least recently used first; the state just remembered stays, however heavy.
    const limit = this.options.cacheWeight ?? 10_000;
    for (const oldest of this.cache.keys()) {
      if (this.cachedWeight <= limit || oldest === streamName) break;
      this.forget(oldest);
    }
  }

  private forget(streamName: string): void {
    const cached = this.cache.get(streamName);
    if (!cached) return;
    this.cache.delete(streamName);
    this.cachedWeight -= cached.weight;
  }
}

/** The pending requests grouped by stream, in request order within each. */
const byStream = <Command>(requests: ExecuteRequest<Command>[], indices: number[]) => {
  const groups = new Map<string, number[]>();
  for (const index of indices) {
    const { streamName } = requests[index]!;
    groups.set(streamName, [...(groups.get(streamName) ?? []), index]);
  }
  return groups;
};

const indicesOf = <Command>(requests: ExecuteRequest<Command>[], streamName: string) =>
  requests.flatMap((request, index) => (request.streamName === streamName ? [index] : []));

const appendOf = <Event, State>(plan: StreamPlan<Event, State>): StreamAppend => ({
  streamName: plan.streamName,
  events: plan.events,
  expected: plan.loaded.revision ?? 'no_stream',
});

const conflict = (streamName: string): Rejection =>
  reject('conflict', `${streamName} kept changing under this command; try again.`);

export const toDomainEvent = <Event extends DomainEvent>(recorded: RecordedEvent): Event =>
  ({ type: recorded.type, data: recorded.data }) as Event;
