import { compileContentFilter, type MessageServiceCommand } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import { as, messageSent, pastMessageId, publicRoom, ROOM, T0 } from '../rooms/room.fixtures';

const room = { room_id: ROOM };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const accepted = (...types: string[]) => ({
  ok: true,
  value: types.map((type) => expect.objectContaining({ type })),
});

/** The deployment blocks "spam"; the room, once its owner sets it, "pineapple" and links. */
const deployment = compileContentFilter({ blocked_terms: 'spam', block_links: false }, { patterns: true });
const roomFilter = { blocked_terms: ['pineapple'], block_links: true };
const filtered: RoomEvent = {
  type: 'RoomContentFilterChanged',
  data: { ...room, content_filter: roomFilter, changed_by: 'alice', changed_at: T0 },
};

const by = (actor: string, command: MessageServiceCommand) =>
  as(actor, command, { content_filter: deployment });
const send = (content: string) =>
  by('bob', { type: 'SendMessage', data: { ...room, content, message_type: 'text', client_msg_id: null } });

describe('the content filter in a room', () => {
  it('refuses a message holding a term the deployment blocks, however disguised', () => {
    expect(given(roomDecider, publicRoom('alice', 'bob'))(send('buy ѕ\u200Bpam'))).toEqual(
      refused('content_blocked'),
    );
    expect(given(roomDecider, publicRoom('alice', 'bob'))(send('fine'))).toEqual(accepted('MessageSent'));
  });

  it('adds the room’s own terms and its link ban to the deployment’s, once its owner sets them', () => {
    const setFilter = by('alice', { type: 'UpdateRoom', data: { ...room, content_filter: roomFilter } });
    expect(given(roomDecider, publicRoom('alice', 'bob'))(setFilter)).toEqual(
      accepted('RoomContentFilterChanged'),
    );
    expect(given(roomDecider, [...publicRoom('alice', 'bob'), filtered])(setFilter)).toEqual({
      ok: true,
      value: [],
    });
    const inFilteredRoom = given(roomDecider, [...publicRoom('alice', 'bob'), filtered]);
    expect(inFilteredRoom(send('PINEAPPLE'))).toEqual(refused('content_blocked'));
    expect(inFilteredRoom(send('www.example.com'))).toEqual(refused('content_blocked'));
    expect(inFilteredRoom(send('spam'))).toEqual(refused('content_blocked'));
    expect(given(roomDecider, publicRoom('alice', 'bob'))(send('pineapple'))).toEqual(
      accepted('MessageSent'),
    );
  });

  it('forbids a member to set the room’s filter', () => {
    const setFilter = by('bob', { type: 'UpdateRoom', data: { ...room, content_filter: roomFilter } });
    expect(given(roomDecider, publicRoom('alice', 'bob'))(setFilter)).toEqual(refused('forbidden'));
  });

  it('refuses an edit into blocked content', () => {
    const edit = by('bob', {
      type: 'EditMessage',
      data: { ...room, message_id: pastMessageId(1, 'bob'), content: 'now with pineapple' },
    });
    expect(
      given(roomDecider, [...publicRoom('alice', 'bob'), filtered, messageSent(1, 'bob')])(edit),
    ).toEqual(refused('content_blocked'));
  });

  it('refuses a blocked room name, at creation and on renaming, against the room’s filter too', () => {
    const create = by('alice', {
      type: 'CreateRoom',
      data: { ...room, name: 'Spam club', private: false, members: [] },
    });
    expect(given(roomDecider, [])(create)).toEqual(refused('content_blocked'));
    const rename = (name: string) => by('alice', { type: 'UpdateRoom', data: { ...room, name } });
    expect(given(roomDecider, [...publicRoom('alice'), filtered])(rename('Pineapple fans'))).toEqual(
      refused('content_blocked'),
    );
    const renameAndFilter = by('alice', {
      type: 'UpdateRoom',
      data: { ...room, name: 'Pineapple fans', content_filter: roomFilter },
    });
    expect(given(roomDecider, publicRoom('alice'))(renameAndFilter)).toEqual(refused('content_blocked'));
    expect(given(roomDecider, [...publicRoom('alice'), filtered])(rename('Fruit fans'))).toEqual(
      accepted('RoomUpdated'),
    );
  });
});
