import type { UserStreamEvent } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import { erasureDecider, type EraseUser } from './decide';

const T0 = '2024-05-01T10:00:00.000Z';
const erase = (actor: string, admin = false, user = 'alice'): EraseUser => ({
  type: 'EraseUser',
  data: { user_id: user },
  context: { actor_id: actor, actor_is_admin: admin, decided_at: T0 },
});
const erased = (by: string): UserStreamEvent => ({
  type: 'UserErased',
  data: { user_id: 'alice', erased_by: by, erased_at: T0 },
});
const suspended: UserStreamEvent = {
  type: 'UserSuspended',
  data: { user_id: 'alice', reason: 'spam', until: null, suspended_by: 'root', suspended_at: T0 },
};

describe('EraseUser', () => {
  it('lets a user erase themself, and an administrator anyone', () => {
    expect(given(erasureDecider, [])(erase('alice'))).toEqual({ ok: true, value: [erased('alice')] });
    expect(given(erasureDecider, [])(erase('root', true))).toEqual({ ok: true, value: [erased('root')] });
  });

  it('forbids anyone else', () => {
    expect(given(erasureDecider, [])(erase('bob'))).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'forbidden' }),
    });
  });

  it('decides nothing the second time: erasing twice is erasing once', () => {
    expect(given(erasureDecider, [erased('alice')])(erase('alice'))).toEqual({ ok: true, value: [] });
    expect(given(erasureDecider, [erased('alice')])(erase('root', true))).toEqual({ ok: true, value: [] });
  });

  it('erases a suspended user: a suspension is no erasure', () => {
    expect(given(erasureDecider, [suspended])(erase('root', true))).toEqual({
      ok: true,
      value: [erased('root')],
    });
  });
});
