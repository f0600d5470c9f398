import type { Rejection, Result } from '@chat/contracts';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '@chat/eventstore';
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
}

export interface ExecuteOptions {
  commandId: string;
  metadata: Record<string, unknown>;
}

/**
 * Loads an aggregate from its stream, runs its decider and appends the outcome with optimistic
 * concurrency. States are cached (LRU) with their revision, so a hot room is not re-read for
 * every command; a concurrent writer shows up as a wrong expected revision, which drops the
 * cached state and retries on fresh state.
 */
export class AggregateRepository<Command, Event extends DomainEvent, State> {
  private readonly cache = new Map<string, Loaded<State>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly options: { cacheSize?: number; maxAttempts?: number } = {},
  ) {}

  async load(streamName: string): Promise<Loaded<State>> {
    const cached = this.cache.get(streamName);
    const from = cached ?? { state: this.decider.initialState, revision: null };
    const loaded = await this.catchUp(streamName, from);
    this.remember(streamName, loaded);
    return loaded;
  }

  async execute(
    streamName: string,
    command: Command,
    options: ExecuteOptions,
  ): Promise<Result<Executed<Event, State>, Rejection>> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(streamName);
      const decided = this.decider.decide(command, current.state);
      if (!decided.ok) return decided;
      const events = decided.value;
      if (events.length === 0) return { ok: true, value: { ...current, events } };
      try {
        const appended = await this.store.append(
          streamName,
          events.map((event, index) => ({
            id: eventIdFor(options.commandId, index),
            type: event.type,
            data: event.data,
            metadata: options.metadata,
          })),
          current.revision ?? 'no_stream',
        );
        const next = {
          state: events.reduce(this.decider.evolve, current.state),
          revision: appended.nextExpectedRevision,
        };
        this.remember(streamName, next);
        return { ok: true, value: { ...next, events } };
      } catch (error) {
        this.cache.delete(streamName);
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
      }
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

  private remember(streamName: string, loaded: Loaded<State>): void {
    this.cache.delete(streamName);
    this.cache.set(streamName, loaded);
    const limit = this.options.cacheSize ?? 10_000;
    if (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value!);
  }
}

export const toDomainEvent = <Event extends DomainEvent>(recorded: RecordedEvent): Event =>
  ({ type: recorded.type, data: recorded.data }) as Event;
