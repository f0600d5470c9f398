import { Topics, type EventRecord, type MediaServiceEvent } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { MessageReadModel } from '../read-model/port';

/**
 * The uploads the media service verified, from its events: a file message may share only one of
 * these (see `messages/file-message.ts`); a user's export lists theirs. This service asks the media
 * service nothing.
 */
export const verifiedFilesProjection = (readModel: MessageReadModel): Projection => ({
  name: 'message-verified-files',
  topics: [Topics.mediaEvents],
  applyBatch: async (records: EventRecord[]) => {
    await readModel.applyBatch(
      records.flatMap((record) => {
        const event = { type: record.type, data: record.data } as MediaServiceEvent;
        if (event.type !== 'FileVerified') return [];
        const { file_id, room_id, file_name, content_type, size, file_url, uploader_id, verified_at } =
          event.data;
        const file = { file_id, room_id, file_name, content_type, size, file_url, uploader_id, verified_at };
        return [
          {
            at: { stream: record.stream, revision: record.revision },
            changes: [{ kind: 'file_verified', file }],
          },
        ];
      }),
    );
  },
});
