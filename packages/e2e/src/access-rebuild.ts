import { eventually } from '@chat/testkit';
import { expect } from 'vitest';
import type { Harness } from './harness';

/**
 * Rooms of every kind of access — public and private, a member removed, a room deleted — then
 * `restart` trims `message.events` to nothing and starts every service again on an EMPTY room
 * access store: each rebuilds every room's access from the compacted `room.access` alone, and
 * media, search, presence and notification answer exactly as before. A change made afterwards
 * reaches them too.
 */
export const expectAccessRebuiltAfterTrim = async (h: Harness, restart: () => Promise<void>) => {
  const room = async (owner: string, name: string, isPrivate: boolean, members: string[]) => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name, private: isPrivate, members });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };
  const post = async (user: string, roomId: string, content: string) =>
    expect((await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, { content })).status).toBe(201);

  const open = await room('ann', 'open', false, ['bob']);
  const secret = await room('ann', 'secret', true, ['cy', 'eve']);
  const gone = await room('ann', 'gone', true, ['dee']);
  await post('bob', open, 'marigold in the open room');
  await post('cy', secret, 'marigold in the secret room');
  await post('dee', gone, 'marigold in the gone room');
  expect((await h.api('ann', 'DELETE', `/api/rooms/${secret}/members/eve`)).status).toBe(204);
  expect((await h.api('ann', 'DELETE', `/api/rooms/${gone}`)).status).toBe(204);

  const upload = (user: string, roomId: string) =>
    h.api(user, 'POST', '/api/media/uploads', {
      room_id: roomId,
      file_name: 'notes.txt',
      content_type: 'text/plain',
      size: 5,
    });
  const found = async (user: string, roomId?: string) => {
    const query = new URLSearchParams({ q: 'marigold', ...(roomId ? { room_id: roomId } : {}) });
    const response = await h.api(user, 'GET', `/api/search/messages?${query}`);
    return response.status === 200
      ? (response.body.hits as { content: string }[]).map((hit) => hit.content).sort()
      : response.body.code;
  };
  const presenceOf = async (user: string, roomId: string) => {
    const response = await h.api(user, 'GET', `/api/presence/room/${roomId}`);
    return response.status === 200
      ? (response.body.members as { user_id: string }[]).map((member) => member.user_id)
      : response.body.code;
  };
  const unreadRooms = async (user: string) =>
    ((await h.api(user, 'GET', '/api/notifications/unread')).body as { room_id: string }[])
      .map((each) => each.room_id)
      .sort();

  /** What every service answers about every room, as one comparable value. */
  const answers = async () => ({
    uploads: {
      bobOpen: (await upload('bob', open)).status,
      cySecret: (await upload('cy', secret)).status,
      eveSecret: (await upload('eve', secret)).body.code,
      deeGone: (await upload('dee', gone)).body.code,
    },
    search: {
      bob: await found('bob'),
      cy: await found('cy'),
      eve: await found('eve'),
      eveSecret: await found('eve', secret),
      dee: await found('dee'),
    },
    presence: {
      cySecret: await presenceOf('cy', secret),
      eveSecret: await presenceOf('eve', secret),
      deeGone: await presenceOf('dee', gone),
    },
    unread: { ann: await unreadRooms('ann'), cy: await unreadRooms('cy'), dee: await unreadRooms('dee') },
  });

  // Search, presence and unread counts are projections: the snapshot waits until they show it all.
  const before = await eventually(
    async () => {
      const settled = await answers();
      expect(settled).toMatchObject({
        uploads: { bobOpen: 201, cySecret: 201, eveSecret: 'room_not_found', deeGone: 'room_not_found' },
        search: {
          bob: ['marigold in the open room'],
          cy: ['marigold in the secret room'],
          eve: [],
          eveSecret: 'room_not_found',
          dee: [],
        },
        presence: { cySecret: ['ann', 'cy'], eveSecret: 'room_not_found', deeGone: 'room_not_found' },
      });
      expect(settled.unread.ann).toEqual(expect.arrayContaining([open, secret]));
      expect(settled.unread.cy).toContain(secret);
      expect(settled.unread.dee).not.toContain(gone);
      return settled;
    },
    15_000,
    250,
  );

  await restart();
  await eventually(async () => expect(await answers()).toEqual(before), 15_000, 250);

  // The view still follows the topic after its rebuild.
  expect((await h.api('ann', 'POST', `/api/rooms/${secret}/members`, { user_id: 'eve' })).status).toBe(201);
  expect((await upload('eve', secret)).status).toBe(201);
  expect(await presenceOf('eve', secret)).toEqual(['ann', 'cy', 'eve']);
};
