import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, deliveryDecider, type AttemptResult, type DeliveryCommand } from './decide';
import type { DeliveryEvent } from './delivery';
import { payload, ref, T0 } from './delivery.fixtures';

/**
 * Random histories of one delivery: requests and attempt results in any order, repeated and
 * out of order, as redelivered bus records and a restarted dispatcher produce them.
 */
const result: fc.Arbitrary<AttemptResult> = fc.oneof(
  fc.record({ ok: fc.constant(true as const), status: fc.constantFrom(200, 201, 202) }),
  fc.record({
    ok: fc.constant(false as const),
    status: fc.constantFrom(null, 404, 410, 429, 500, 503),
    error: fc.constantFrom('fetch failed', 'HTTP 500'),
    gone: fc.boolean(),
  }),
);

const command: fc.Arbitrary<DeliveryCommand> = fc.oneof(
  fc.constant<DeliveryCommand>({
    type: 'RequestDelivery',
    data: { ...ref, payload },
    context: { decided_at: T0 },
  }),
  fc.tuple(fc.integer({ min: 1, max: 8 }), result).map(([attempt, outcome]): DeliveryCommand => ({
    type: 'RecordAttempt',
    data: { ...ref, attempt, result: outcome },
    context: { decided_at: T0, max_attempts: 5 },
  })),
);

const decideAll = (commands: DeliveryCommand[]) => {
  let state = deliveryDecider.initialState;
  const events: DeliveryEvent[] = [];
  for (const next of commands) {
    const decided = deliveryDecider.decide(next, state);
    expect(decided.ok).toBe(true);
    for (const event of decided.ok ? decided.value : []) {
      events.push(event);
      state = deliveryDecider.evolve(state, event);
    }
    // A command decided again once its events are in decides nothing.
    expect(deliveryDecider.decide(next, state)).toEqual({ ok: true, value: [] });
  }
  return events;
};

describe('the delivery decider over random histories', () => {
  it('requests once, numbers attempts upwards, ends at most once and never after its end', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        const events = decideAll(commands);
        expect(events.filter((event) => event.type === 'DeliveryRequested').length).toBeLessThanOrEqual(1);
        const attempts = events.flatMap((event) =>
          event.type === 'DeliveryAttemptFailed' || event.type === 'DeliverySucceeded'
            ? [event.data.attempt]
            : [],
        );
        expect(attempts).toEqual([...attempts].sort((a, b) => a - b));
        expect(new Set(attempts).size).toBe(attempts.length);
        const ends = events.filter(
          (event) => event.type === 'DeliverySucceeded' || event.type === 'DeliveryAbandoned',
        );
        expect(ends.length).toBeLessThanOrEqual(1);
        if (ends.length === 1) expect(events.at(-1)).toBe(ends[0]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('abandons only a gone target or after the last attempt, and records why', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        const events = decideAll(commands);
        const abandoned = events.find((event) => event.type === 'DeliveryAbandoned');
        if (abandoned?.type !== 'DeliveryAbandoned') return;
        const lastFailure = events.findLast((event) => event.type === 'DeliveryAttemptFailed');
        expect(lastFailure?.type).toBe('DeliveryAttemptFailed');
        if (lastFailure?.type !== 'DeliveryAttemptFailed') return;
        expect(abandoned.data.attempts).toBe(lastFailure.data.attempt);
        expect(abandoned.data.last_error).toBe(lastFailure.data.error);
        if (abandoned.data.reason === 'attempts_exhausted')
          expect(abandoned.data.attempts).toBeGreaterThanOrEqual(5);
      }),
      { numRuns: 1_000 },
    );
  });

  it('backs off exponentially within a fifth of jitter, never beyond the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, random) => {
          const capped = Math.min(base * 2 ** (attempt - 1), 5 * 60_000);
          const waited = backoffMs(attempt, base, () => random);
          expect(waited).toBeGreaterThanOrEqual(Math.floor(capped));
          expect(waited).toBeLessThanOrEqual(Math.ceil(capped * 1.2));
          expect(backoffMs(attempt + 1, base, () => random)).toBeGreaterThanOrEqual(waited);
        },
      ),
    );
  });
});
