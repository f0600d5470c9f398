import type { EventOf, EventRecord, ServerFrameOf } from '@chat/contracts';
import type { GatewayContext } from '../context';

/** The `room_added` frame a room's creation owes its members: for direct rooms, the rooms nobody joins by choosing. */
export const roomAddedOf = (event: EventRecord): ServerFrameOf<'room_added'> | null => {
  if (event.type !== 'RoomCreated') return null;
  const { room_id, kind, members, encryption } = event.data as EventOf<'RoomCreated'>['data'];
  if (kind !== 'direct' || !members) return null;
  return { type: 'room_added', room_id, kind, members, ...(encryption ? { encryption } : {}) };
};

/**
 * Tells every socket this gateway holds of each member that the room was opened with them. Every
 * gateway reads every event, so each member's sockets hear it on whatever gateway they are.
 */
export const deliverRoomAdded = (ctx: GatewayContext, event: EventRecord): void => {
  const frame = roomAddedOf(event);
  if (!frame) return;
  const text = JSON.stringify(frame);
  for (const userId of frame.members) {
    for (const connection of ctx.usersOnline.get(userId) ?? [])
      ctx.outbox.sendRaw(connection, text, frame.type);
  }
};
