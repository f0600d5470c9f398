import type { Rejection, Result } from '@chat/contracts';

/**
 * A decider is the whole business logic of an aggregate as two pure functions: `decide` turns a
 * command and the current state into new events (or a rejection), `evolve` folds an event into
 * the state. No I/O: the application layer loads, decides and appends.
 */
export interface Decider<Command, Event, State> {
  initialState: State;
  decide(command: Command, state: State): Result<Event[], Rejection>;
  evolve(state: State, event: Event): State;
}

export const accept = <Event>(...events: Event[]): Result<Event[], Rejection> => ({
  ok: true,
  value: events,
});
export const refuse = (error: Rejection): Result<never, Rejection> => ({ ok: false, error });

/** Given past events, when a command: the events (or rejection) decided. For specifications. */
export const given =
  <Command, Event, State>(decider: Decider<Command, Event, State>, past: Event[]) =>
  (command: Command): Result<Event[], Rejection> =>
    decider.decide(command, past.reduce(decider.evolve, decider.initialState));
