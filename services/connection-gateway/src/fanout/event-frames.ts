import type { EventOf, EventRecord, MessageServiceEventType, ServerFrame } from '@chat/contracts';

type Data<K extends MessageServiceEventType> = EventOf<K>['data'];

/** The frame members of a room see for one of its events; null for events with no frame. */
export const frameOf = (event: EventRecord): ServerFrame | null => {
  switch (event.type as MessageServiceEventType) {
    case 'MessageSent': {
      const data = event.data as Data<'MessageSent'>;
      return {
        type: 'message',
        room_id: data.room_id,
        message_id: data.message_id,
        seq: data.seq,
        sender_id: data.sender_id,
        content: data.content,
        message_type: data.message_type,
        created_at: data.created_at,
        client_msg_id: data.client_msg_id,
        ...(data.file ? { file: data.file } : {}),
        ...(data.thread_id ? { thread_id: data.thread_id } : {}),
        ...(data.mentions ? { mentions: data.mentions } : {}),
        ...(data.mls ? { mls: data.mls.message } : {}),
      };
    }
    case 'MemberJoined': {
      const data = event.data as Data<'MemberJoined'>;
      return { type: 'member_joined', room_id: data.room_id, user_id: data.user_id };
    }
    case 'MemberLeft':
    case 'MemberBanned': {
      // The others see a banned member leave; why is the moderators' business.
      const data = event.data as Data<'MemberLeft' | 'MemberBanned'>;
      return { type: 'member_left', room_id: data.room_id, user_id: data.user_id };
    }
    case 'RoomUpdated': {
      const data = event.data as Data<'RoomUpdated'>;
      return { type: 'room_updated', room_id: data.room_id, name: data.name, private: data.private };
    }
    case 'RoomDeleted':
      return { type: 'room_deleted', room_id: (event.data as Data<'RoomDeleted'>).room_id };
    case 'MessageEdited': {
      const { room_id, message_id, seq, content, edited_at } = event.data as Data<'MessageEdited'>;
      return { type: 'message_edited', room_id, message_id, seq, content, edited_at };
    }
    case 'MessageDeleted': {
      const { room_id, message_id, seq } = event.data as Data<'MessageDeleted'>;
      return { type: 'message_deleted', room_id, message_id, seq };
    }
    case 'RoomHistoryExpired': {
      const { room_id, through_seq } = event.data as Data<'RoomHistoryExpired'>;
      return { type: 'history_expired', room_id, through_seq };
    }
    case 'ReactionAdded': {
      const { room_id, message_id, seq, user_id, emoji, count } = event.data as Data<'ReactionAdded'>;
      return { type: 'reaction', room_id, message_id, seq, user_id, emoji, action: 'add', count };
    }
    case 'ReactionRemoved': {
      const { room_id, message_id, seq, user_id, emoji, count } = event.data as Data<'ReactionRemoved'>;
      return { type: 'reaction', room_id, message_id, seq, user_id, emoji, action: 'remove', count };
    }
    case 'ThreadUpdated': {
      const { room_id, message_id, seq, thread } = event.data as Data<'ThreadUpdated'>;
      return { type: 'thread_updated', room_id, message_id, seq, ...thread };
    }
    default:
      return null;
  }
};
