import { Topics, type EventRecord, type MediaServiceEvent } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { MediaReadModel, MediaReadModelUpdate } from './port';

const uploadOf = (record: EventRecord): MediaReadModelUpdate[] => {
  const event = { type: record.type, data: record.data } as MediaServiceEvent;
  if (event.type !== 'UploadRequested') return [];
  const { file_id, room_id, uploader_id, requested_at } = event.data;
  return [
    {
      at: { stream: record.stream, revision: record.revision },
      changes: [{ kind: 'upload_requested', file_id, room_id, uploader_id, requested_at }],
    },
  ];
};

/**
 * Who uploaded what when, from the media service's own events, a batch at a time: the hourly
 * limit counts these. Only `UploadRequested` is written, and so recorded: a file stream's later
 * events change nothing here.
 */
export const uploadsProjection = (readModel: MediaReadModel): Projection => ({
  name: 'media-uploads',
  topics: [Topics.mediaEvents],
  applyBatch: async (records: EventRecord[]) => {
    const updates = records.flatMap(uploadOf);
    if (updates.length > 0) await readModel.applyBatch(updates);
  },
});
