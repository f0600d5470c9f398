import { describe, expect, it } from 'vitest';
import { presenceChangeOf } from './presence-consumer';

const record = (value: unknown) => ({ value: JSON.stringify(value) });
const change = (status: string) => ({
  user_id: 'bob',
  status,
  last_seen: null,
  changed_at: '2024-05-01T10:00:00.000Z',
  room_ids: ['general'],
});

describe('presenceChangeOf', () => {
  it.each([
    ['online', true],
    ['away', true],
    ['busy', true],
    ['offline', false],
  ])('reads status %s as online=%s', (status, online) => {
    expect(presenceChangeOf(record(change(status)))).toEqual({
      user_id: 'bob',
      online,
      at: '2024-05-01T10:00:00.000Z',
    });
  });

  it('ignores what is not a presence change', () => {
    expect(presenceChangeOf({ value: 'not json' })).toBeNull();
    expect(presenceChangeOf(record({ user_id: 'bob' }))).toBeNull();
  });
});
