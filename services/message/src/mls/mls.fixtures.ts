import type { MlsFraming } from '@chat/contracts';
import { framedMlsMessage } from '@chat/testkit/mls';
import { memberJoined, ROOM, T0 } from '../rooms/room.fixtures';
import { messageIdFor } from '../messages/message-id';
import type { RoomEvent } from '../room-command';

/** An MLS PrivateMessage of the room's group (another group's with `groupId`). */
export const privateMessage = (epoch: number, contentType: MlsFraming['content_type'], groupId = ROOM) =>
  framedMlsMessage(groupId, epoch, contentType);

/** An end-to-end encrypted group room owned by `owner`, with `members` in it. */
export const encryptedRoom = (owner: string, ...members: string[]): RoomEvent[] => [
  {
    type: 'RoomCreated',
    data: {
      room_id: ROOM,
      name: 'Secret',
      private: true,
      owner_id: owner,
      created_at: T0,
      encryption: 'mls',
    },
  },
  memberJoined(owner, 'owner'),
  ...members.map((member) => memberJoined(member, 'member', owner)),
];

/** A past commit at `epoch`, seq `seq`, which moved the group to `epoch + 1`. */
export const commitSent = (seq: number, senderId: string, epoch: number): RoomEvent => {
  const message = privateMessage(epoch, 'commit');
  return {
    type: 'MessageSent',
    data: {
      room_id: ROOM,
      message_id: messageIdFor(ROOM, senderId, `past-${seq}`),
      seq,
      sender_id: senderId,
      content: '',
      message_type: 'mls',
      client_msg_id: null,
      created_at: T0,
      mls: { message, epoch, content_type: 'commit' },
    },
  };
};
