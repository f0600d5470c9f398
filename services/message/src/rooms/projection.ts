import type { ReadModelChange } from '../read-model/port';
import type { RoomEvent } from '../room-command';

/** What room and membership events change in the read model. */
export const roomChanges = (event: RoomEvent): ReadModelChange[] => {
  switch (event.type) {
    case 'RoomCreated': {
      const { room_id, name, owner_id, created_at, kind = 'group', members, encryption } = event.data;
      return [
        {
          kind: 'room_created',
          room_id,
          name,
          private: event.data.private,
          owner_id,
          created_at,
          room_kind: kind,
          ...(members ? { members } : {}),
          ...(encryption === 'mls' ? { encryption } : {}),
        },
      ];
    }
    case 'RoomUpdated': {
      const { room_id, name } = event.data;
      return [{ kind: 'room_updated', room_id, name, private: event.data.private }];
    }
    case 'RoomDeleted':
      return [{ kind: 'room_deleted', room_id: event.data.room_id }];
    case 'RoomRetentionChanged': {
      const { room_id, retention_days } = event.data;
      return [{ kind: 'room_retention_changed', room_id, retention_days }];
    }
    case 'RoomHistoryExpired': {
      const { room_id, through_seq } = event.data;
      return [{ kind: 'history_expired', room_id, through_seq }];
    }
    case 'MemberJoined': {
      const { room_id, user_id, role, joined_at } = event.data;
      return [{ kind: 'member_added', room_id, user_id, role, joined_at }];
    }
    case 'MemberLeft':
    case 'MemberBanned':
      return [{ kind: 'member_removed', room_id: event.data.room_id, user_id: event.data.user_id }];
    case 'MemberRoleChanged': {
      const { room_id, user_id, role } = event.data;
      return [{ kind: 'member_role_changed', room_id, user_id, role }];
    }
    default:
      return [];
  }
};
