import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import { accessRecordOf, changesAccess } from '../rooms/access-record';
import { as, messageSent, pastMessageId, publicRoom, ROOM, roomDeleted, T0 } from '../rooms/room.fixtures';

const events = (...value: RoomEvent[]) => ({ ok: true, value });
const nothing = { ok: true, value: [] };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

const DAY_MS = 24 * 60 * 60 * 1000;
/** Ten days after the messages of the fixtures were sent. */
const NOW = new Date(Date.parse(T0) + 10 * DAY_MS).toISOString();
const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * DAY_MS).toISOString();

const retentionChanged = (days: number | null, at = T0): RoomEvent => ({
  type: 'RoomRetentionChanged',
  data: { room_id: ROOM, retention_days: days, changed_by: 'alice', changed_at: at },
});

const historyExpired = (throughSeq: number, cutoff: string): RoomEvent => ({
  type: 'RoomHistoryExpired',
  data: { room_id: ROOM, through_seq: throughSeq, cutoff, expired_at: NOW },
});

const expire = (throughSeq: number, cutoff: string) =>
  as(
    'system',
    { type: 'ExpireHistory', data: { room_id: ROOM, through_seq: throughSeq, cutoff } },
    { decided_at: NOW },
  );

describe('CreateRoom with a retention', () => {
  const create = (retention_days?: number) =>
    as('alice', {
      type: 'CreateRoom',
      data: { room_id: ROOM, name: 'Room', private: false, members: [], ...{ retention_days } },
    });

  it('records the room’s own retention after its creation', () => {
    const decided = given(roomDecider, [])(create(7));
    expect(decided.ok && decided.value.map((event) => event.type)).toEqual([
      'RoomCreated',
      'RoomRetentionChanged',
      'MemberJoined',
    ]);
    expect(decided.ok && decided.value[1]).toEqual(retentionChanged(7));
  });

  it('records nothing of retention when the room keeps the deployment’s', () => {
    const decided = given(roomDecider, [])(create());
    expect(decided.ok && decided.value.some((event) => event.type === 'RoomRetentionChanged')).toBe(false);
  });

  it('refuses a retention outside the deployment’s bounds', () => {
    expect(given(roomDecider, [])(create(0.5))).toEqual(refused('invalid_request'));
    expect(given(roomDecider, [])(create(366))).toEqual(refused('invalid_request'));
  });
});

describe('UpdateRoom with a retention', () => {
  const update = (actor: string, retention_days: number | null) =>
    as(actor, { type: 'UpdateRoom', data: { room_id: ROOM, retention_days } });

  it('changes the retention when the owner sets another one, and back to the default with null', () => {
    expect(given(roomDecider, publicRoom('alice'))(update('alice', 30))).toEqual(
      events(retentionChanged(30)),
    );
    expect(given(roomDecider, [...publicRoom('alice'), retentionChanged(30)])(update('alice', null))).toEqual(
      events(retentionChanged(null)),
    );
  });

  it('changes nothing when the retention is the same', () => {
    expect(given(roomDecider, [...publicRoom('alice'), retentionChanged(30)])(update('alice', 30))).toEqual(
      nothing,
    );
  });

  it('refuses a member who does not manage the room, and a retention out of bounds', () => {
    expect(given(roomDecider, publicRoom('alice', 'bob'))(update('bob', 30))).toEqual(refused('forbidden'));
    expect(given(roomDecider, publicRoom('alice'))(update('alice', 1000))).toEqual(
      refused('invalid_request'),
    );
  });
});

describe('ExpireHistory', () => {
  const past = [
    ...publicRoom('alice', 'bob'),
    messageSent(1, 'bob'),
    messageSent(2, 'bob'),
    messageSent(3, 'bob'),
  ];

  it('expires the messages up to the seq when the cutoff lies beyond the room’s retention', () => {
    expect(given(roomDecider, [...past, retentionChanged(5)])(expire(2, daysBefore(5)))).toEqual(
      events(historyExpired(2, daysBefore(5))),
    );
  });

  it('refuses a cutoff later than the room’s retention allows, the deployment’s by default', () => {
    expect(given(roomDecider, [...past, retentionChanged(5)])(expire(2, daysBefore(4)))).toEqual(
      refused('invalid_request'),
    );
    // The fixtures' deployment keeps 90 days.
    expect(given(roomDecider, past)(expire(2, daysBefore(5)))).toEqual(refused('invalid_request'));
  });

  it('changes nothing when repeated, or behind a further expiry', () => {
    const expired = [...past, retentionChanged(5), historyExpired(3, daysBefore(5))];
    expect(given(roomDecider, expired)(expire(3, daysBefore(5)))).toEqual(nothing);
    expect(given(roomDecider, expired)(expire(1, daysBefore(6)))).toEqual(nothing);
  });

  it('refuses a seq the room has not reached, and a room that does not exist', () => {
    expect(given(roomDecider, [...past, retentionChanged(5)])(expire(4, daysBefore(5)))).toEqual(
      refused('invalid_request'),
    );
    expect(given(roomDecider, [])(expire(1, daysBefore(100)))).toEqual(refused('room_not_found'));
  });

  it('expires the history of a deleted room too: its copies still hold content', () => {
    expect(
      given(roomDecider, [...past, retentionChanged(5), roomDeleted('alice')])(expire(3, daysBefore(5))),
    ).toEqual(events(historyExpired(3, daysBefore(5))));
  });

  it('leaves expired messages gone to edits, reactions, deletions and reports', () => {
    const expired = [...past, retentionChanged(5), historyExpired(2, daysBefore(5))];
    const bobs = pastMessageId(2, 'bob');
    const data = { room_id: ROOM, message_id: bobs };
    expect(
      given(roomDecider, expired)(as('bob', { type: 'EditMessage', data: { ...data, content: 'again' } })),
    ).toEqual(refused('message_not_found'));
    expect(
      given(
        roomDecider,
        expired,
      )(as('alice', { type: 'ReactToMessage', data: { ...data, emoji: '👍', action: 'add' } })),
    ).toEqual(refused('message_not_found'));
    expect(given(roomDecider, expired)(as('bob', { type: 'DeleteMessage', data }))).toEqual(
      refused('message_not_found'),
    );
    expect(
      given(roomDecider, expired)(as('alice', { type: 'ReportMessage', data: { ...data, reason: 'old' } })),
    ).toEqual(refused('message_not_found'));
    // The newer message is untouched.
    const newer = { room_id: ROOM, message_id: pastMessageId(3, 'bob'), content: 'still here' };
    expect(given(roomDecider, expired)(as('bob', { type: 'EditMessage', data: newer })).ok).toBe(true);
  });
});

describe('the access record', () => {
  it('publishes the room’s own retention, and republishes when it changes', () => {
    const state = [...publicRoom('alice'), retentionChanged(7)].reduce(
      roomDecider.evolve,
      roomDecider.initialState,
    );
    expect(accessRecordOf(ROOM, { state, revision: 3 })).toMatchObject({ retention_days: 7 });
    expect(changesAccess(retentionChanged(null))).toBe(true);
    expect(changesAccess(historyExpired(1, T0))).toBe(false);
  });
});
