import { Topics, type EventRecord, type UserErased } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { BlobStore } from '../blobs/port';
import type { MediaReadModel } from '../read-model/port';
import { fileKey, receivedKey, uploadKey } from './file-handler';

/**
 * Deletes each erased user's files from blob storage, from the compacted `user.erasures`, then
 * records the erasure: a batch that fails midway is redelivered and deletes again (deleting what
 * is gone is no error), and from then on none of their files is served.
 */
export const erasureProjection = (deps: {
  readModel: Pick<MediaReadModel, 'applyBatch' | 'uploadsBy'>;
  blobs: Pick<BlobStore, 'delete'>;
}): Projection => ({
  name: 'media-erasures',
  topics: [Topics.userErasures],
  applyBatch: async (records: EventRecord[]) => {
    const { readModel, blobs } = deps;
    for (const record of records) {
      for (const fileId of await readModel.uploadsBy((record.data as UserErased).user_id)) {
        for (const key of [uploadKey(fileId), receivedKey(fileId), fileKey(fileId)]) await blobs.delete(key);
      }
    }
    await readModel.applyBatch(
      records.map((record) => ({
        at: { stream: record.stream, revision: record.revision },
        changes: [{ kind: 'user_erased', user_id: (record.data as UserErased).user_id }],
      })),
    );
  },
});
