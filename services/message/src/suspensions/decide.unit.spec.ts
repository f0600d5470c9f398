import type { UserSuspensionEvent } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import { suspensionDecider, suspensionHolds, type SuspensionCommand } from './decide';

const T0 = '2024-05-01T10:00:00.000Z';
const LATER = '2024-05-01T12:00:00.000Z';
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const nothing = { ok: true, value: [] };

const context = (actor: string, admin = true) => ({ actor_id: actor, actor_is_admin: admin, decided_at: T0 });
const suspend = (
  actor: string,
  extra: { until?: string; reason?: string } = {},
  admin = true,
): SuspensionCommand => ({
  type: 'SuspendUser',
  data: { user_id: 'bob', reason: extra.reason ?? 'abuse', ...(extra.until ? { until: extra.until } : {}) },
  context: context(actor, admin),
});
const unsuspend = (actor: string, admin = true): SuspensionCommand => ({
  type: 'UnsuspendUser',
  data: { user_id: 'bob' },
  context: context(actor, admin),
});
const suspended = (until: string | null = null, reason = 'abuse'): UserSuspensionEvent => ({
  type: 'UserSuspended',
  data: { user_id: 'bob', reason, until, suspended_by: 'root', suspended_at: T0 },
});
const unsuspended: UserSuspensionEvent = {
  type: 'UserUnsuspended',
  data: { user_id: 'bob', unsuspended_by: 'root', unsuspended_at: T0 },
};

describe('SuspendUser', () => {
  it('lets an administrator suspend a user, until lifted or until a time', () => {
    expect(given(suspensionDecider, [])(suspend('root'))).toEqual({ ok: true, value: [suspended()] });
    expect(given(suspensionDecider, [])(suspend('root', { until: LATER }))).toEqual({
      ok: true,
      value: [suspended(LATER)],
    });
  });

  it('forbids anyone else, refuses oneself and an end in the past', () => {
    expect(given(suspensionDecider, [])(suspend('alice', {}, false))).toEqual(refused('forbidden'));
    const self: SuspensionCommand = {
      type: 'SuspendUser',
      data: { user_id: 'root', reason: 'x' },
      context: context('root'),
    };
    expect(given(suspensionDecider, [])(self)).toEqual(refused('invalid_request'));
    expect(given(suspensionDecider, [])(suspend('root', { until: T0 }))).toEqual(refused('invalid_request'));
  });

  it('decides nothing for the same suspension again; a new reason replaces it', () => {
    expect(given(suspensionDecider, [suspended()])(suspend('root'))).toEqual(nothing);
    expect(given(suspensionDecider, [suspended()])(suspend('root', { reason: 'spam' }))).toEqual({
      ok: true,
      value: [suspended(null, 'spam')],
    });
  });
});

describe('UnsuspendUser', () => {
  it('lifts a suspension; lifting none decides nothing; only administrators', () => {
    expect(given(suspensionDecider, [suspended()])(unsuspend('root'))).toEqual({
      ok: true,
      value: [unsuspended],
    });
    expect(given(suspensionDecider, [suspended(), unsuspended])(unsuspend('root'))).toEqual(nothing);
    expect(given(suspensionDecider, [suspended()])(unsuspend('alice', false))).toEqual(refused('forbidden'));
  });
});

describe('the user stream', () => {
  it('keeps a suspension across the erasure that shares the stream', () => {
    const erased = {
      type: 'UserErased' as const,
      data: { user_id: 'bob', erased_by: 'root', erased_at: T0 },
    };
    expect(given(suspensionDecider, [suspended(), erased])(unsuspend('root'))).toEqual({
      ok: true,
      value: [unsuspended],
    });
  });
});

describe('suspensionHolds', () => {
  it('holds without an end, and before its end only', () => {
    expect(suspensionHolds(suspended().data as never, T0)).toBe(true);
    expect(suspensionHolds(suspended(LATER).data as never, T0)).toBe(true);
    expect(suspensionHolds(suspended(LATER).data as never, LATER)).toBe(false);
    expect(suspensionHolds(null, T0)).toBe(false);
  });
});
