import { Topics, type EventOf, type EventRecord } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import { fileKeyScope } from '@chat/privacy';
import type { BlobStore } from '../blobs/port';
import type { MediaReadModel } from '../read-model/port';
import { fileKey, receivedKey, uploadKey, type FileKeys } from './file-handler';

/** Files expired per room expiry; the room's next expiry (its cutoff only moves on) takes the rest. */
const EXPIRED_PER_EXPIRY = 10_000;

type Expired = EventOf<'RoomHistoryExpired'>['data'];

/**
 * Files share the fate of their room's history: when a room's messages expire (`RoomHistoryExpired`
 * on `message.events`), the files uploaded to it before the cutoff are deleted from blob storage
 * and their keys destroyed as `expired` — a copy of a sealed object anywhere stays unreadable —
 * then forgotten. A batch that fails midway is redelivered and does it again (deleting what is
 * gone, destroying a destroyed key: no error).
 */
export const retentionProjection = (deps: {
  readModel: Pick<MediaReadModel, 'applyBatch' | 'uploadsInRoomBefore'>;
  blobs: Pick<BlobStore, 'delete'>;
  keys: Pick<FileKeys, 'destroyScopeKeysBefore'>;
}): Projection => ({
  name: 'media-retention',
  topics: [Topics.messageEvents],
  applyBatch: async (records: EventRecord[]) => {
    const { readModel, blobs, keys } = deps;
    for (const record of records) {
      if (record.type !== 'RoomHistoryExpired') continue;
      const { room_id, cutoff } = record.data as Expired;
      const fileIds = await readModel.uploadsInRoomBefore(room_id, new Date(cutoff), EXPIRED_PER_EXPIRY);
      for (const fileId of fileIds) {
        for (const key of [uploadKey(fileId), receivedKey(fileId), fileKey(fileId)]) await blobs.delete(key);
        // A file's key is its scope's only period (0): destroying those before 1 destroys it.
        await keys.destroyScopeKeysBefore(fileKeyScope(fileId), 1);
      }
      await readModel.applyBatch([
        {
          at: { stream: record.stream, revision: record.revision },
          changes: [{ kind: 'uploads_expired', file_ids: fileIds }],
        },
      ]);
    }
  },
});
