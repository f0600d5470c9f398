import { Topics, type EventRecord, type MediaServiceEvent, type MessageServiceEvent } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { MediaReadModel, MediaReadModelChange } from './port';

const roomAccessChanges = (event: MessageServiceEvent): MediaReadModelChange[] => {
  switch (event.type) {
    case 'RoomCreated':
      return [{ kind: 'room_created', room_id: event.data.room_id, private: event.data.private }];
    case 'RoomUpdated':
      return [{ kind: 'room_updated', room_id: event.data.room_id, private: event.data.private }];
    case 'RoomDeleted':
      return [{ kind: 'room_deleted', room_id: event.data.room_id }];
    case 'MemberJoined':
      return [{ kind: 'member_added', room_id: event.data.room_id, user_id: event.data.user_id }];
    case 'MemberLeft':
      return [{ kind: 'member_removed', room_id: event.data.room_id, user_id: event.data.user_id }];
    default:
      return [];
  }
};

/**
 * The media service's own view of rooms and memberships, from the message service's events: it
 * asks no other service who may upload or download. Events that change nothing here (messages,
 * most of them) are not written at all.
 */
export const roomAccessProjection = (readModel: MediaReadModel): Projection => ({
  name: 'media-room-access',
  topics: [Topics.messageEvents],
  applyBatch: async (records: EventRecord[]) => {
    for (const record of records) {
      await (async () => {
        const changes = roomAccessChanges({ type: record.type, data: record.data } as MessageServiceEvent);
        if (changes.length > 0)
          await readModel.apply({ stream: record.stream, revision: record.revision }, changes);
      })();
    }
  },
});

/** Who uploaded what when, from the media service's own events: the hourly limit counts these. */
export const uploadsProjection = (readModel: MediaReadModel): Projection => ({
  name: 'media-uploads',
  topics: [Topics.mediaEvents],
  applyBatch: async (records: EventRecord[]) => {
    for (const record of records) {
      await (async () => {
        const event = { type: record.type, data: record.data } as MediaServiceEvent;
        if (event.type !== 'UploadRequested') return;
        const { file_id, uploader_id, requested_at } = event.data;
        await readModel.apply({ stream: record.stream, revision: record.revision }, [
          { kind: 'upload_requested', file_id, uploader_id, requested_at },
        ]);
      })();
    }
  },
});
