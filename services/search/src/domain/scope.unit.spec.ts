import { describe, expect, it } from 'vitest';
import { refuseUnsearchable } from './scope';

describe('which rooms a search may cover', () => {
  it('lets members search their room, public or private', () => {
    expect(refuseUnsearchable({ private: false, member: true })).toBeNull();
    expect(refuseUnsearchable({ private: true, member: true })).toBeNull();
  });

  it('answers a non-member as history does: a private room is not found, a public one is not theirs', () => {
    expect(refuseUnsearchable({ private: true, member: false })).toMatchObject({ code: 'room_not_found' });
    expect(refuseUnsearchable({ private: false, member: false })).toMatchObject({ code: 'not_member' });
  });

  it('does not find a missing or deleted room', () => {
    expect(refuseUnsearchable(null)).toMatchObject({ code: 'room_not_found' });
  });
});
