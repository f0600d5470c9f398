import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import { backoffMs, deliveryDecider, type AttemptResult, type DeliveryCommand } from './decide';
import type { DeliveryEvent } from './delivery';
import { payload, ref, T0 } from './delivery.fixtures';

const decidedOn = (past: DeliveryEvent[]) => given(deliveryDecider, past);

const request: DeliveryCommand = {
  type: 'RequestDelivery',
  data: { ...ref, payload },
  context: { decided_at: T0 },
};
const requested: DeliveryEvent = { type: 'DeliveryRequested', data: { ...ref, payload, requested_at: T0 } };
const attempt = (number: number, result: AttemptResult, max_attempts = 3): DeliveryCommand => ({
  type: 'RecordAttempt',
  data: { ...ref, attempt: number, result },
  context: { decided_at: T0, max_attempts },
});
const serverError: AttemptResult = { ok: false, status: 500, error: 'HTTP 500', gone: false };
const failed = (number: number, status: number | null = 500, error = 'HTTP 500'): DeliveryEvent => ({
  type: 'DeliveryAttemptFailed',
  data: { ...ref, attempt: number, status, error, failed_at: T0 },
});

describe('RequestDelivery', () => {
  it('given nothing, when requested, then the delivery is pending', () => {
    expect(decidedOn([])(request)).toEqual({ ok: true, value: [requested] });
  });

  it('given a requested delivery, when requested again (a redelivered message), then nothing new', () => {
    expect(decidedOn([requested])(request)).toEqual({ ok: true, value: [] });
  });
});

describe('RecordAttempt', () => {
  it('given a pending delivery, when the push service accepts, then it is delivered', () => {
    expect(decidedOn([requested])(attempt(1, { ok: true, status: 201 }))).toEqual({
      ok: true,
      value: [{ type: 'DeliverySucceeded', data: { ...ref, attempt: 1, status: 201, delivered_at: T0 } }],
    });
  });

  it('given a pending delivery, when an attempt fails with attempts left, then it stays pending', () => {
    expect(decidedOn([requested])(attempt(1, serverError))).toEqual({ ok: true, value: [failed(1)] });
  });

  it('given failed attempts, when the last allowed attempt fails, then it is abandoned (dead letter)', () => {
    expect(decidedOn([requested, failed(1), failed(2)])(attempt(3, serverError))).toEqual({
      ok: true,
      value: [
        failed(3),
        {
          type: 'DeliveryAbandoned',
          data: {
            ...ref,
            attempts: 3,
            reason: 'attempts_exhausted',
            last_error: 'HTTP 500',
            abandoned_at: T0,
          },
        },
      ],
    });
  });

  it('given a pending delivery, when the push service says gone (410), then it is abandoned at once', () => {
    const gone: AttemptResult = { ok: false, status: 410, error: 'HTTP 410', gone: true };
    const decided = decidedOn([requested])(attempt(1, gone));
    expect(decided).toEqual({
      ok: true,
      value: [
        failed(1, 410, 'HTTP 410'),
        expect.objectContaining({
          type: 'DeliveryAbandoned',
          data: expect.objectContaining({ reason: 'gone' }),
        }),
      ],
    });
  });

  it('given an attempt recorded, when the same attempt is recorded again, then nothing new', () => {
    expect(decidedOn([requested, failed(1)])(attempt(1, serverError))).toEqual({ ok: true, value: [] });
  });

  it('given a delivered delivery, when a late attempt is recorded, then nothing new', () => {
    const delivered: DeliveryEvent = {
      type: 'DeliverySucceeded',
      data: { ...ref, attempt: 1, status: 201, delivered_at: T0 },
    };
    expect(decidedOn([requested, delivered])(attempt(2, serverError))).toEqual({ ok: true, value: [] });
  });
});

describe('backoffMs', () => {
  it('doubles from the base, with at most 20 % jitter, capped at five minutes', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, () => 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(2, 1000, () => 1)).toBe(2400);
    expect(backoffMs(30, 1000, () => 0)).toBe(300_000);
  });
});
