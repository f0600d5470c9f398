import { uniqueId, withOpenedReadModel, type OpenedReadModel } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import type { MediaReadModel, MediaReadModelUpdate } from './port';

/** The one suite every MediaReadModel adapter passes. Ids are unique per test: a shared server is fine. */
export const mediaReadModelConformance = (
  name: string,
  open: () => Promise<OpenedReadModel<MediaReadModel>>,
) => {
  const withReadModel = withOpenedReadModel(open);
  const uploadOf = (
    fileId: string,
    uploaderId: string,
    requestedAt: string,
    roomId = 'room-files',
  ): MediaReadModelUpdate => ({
    at: { stream: `file-${fileId}`, revision: 0 },
    changes: [
      {
        kind: 'upload_requested',
        file_id: fileId,
        room_id: roomId,
        uploader_id: uploaderId,
        requested_at: requestedAt,
      },
    ],
  });

  describe(`MediaReadModel conformance: ${name}`, () => {
    it(
      "counts a user's uploads since a time",
      withReadModel(async (readModel) => {
        const uploader = uniqueId('user');
        await readModel.applyBatch([
          uploadOf(uniqueId('file'), uploader, '2024-05-01T09:00:00.000Z'),
          uploadOf(uniqueId('file'), uploader, '2024-05-01T10:00:00.000Z'),
        ]);
        await readModel.applyBatch([uploadOf(uniqueId('file'), uploader, '2024-05-01T10:30:00.000Z')]);
        expect(await readModel.countUploadsSince(uploader, new Date('2024-05-01T10:00:00.000Z'))).toBe(2);
        expect(await readModel.countUploadsSince(uniqueId('user'), new Date(0))).toBe(0);
      }),
    );

    it(
      'applies each revision of a stream once, in a batch or redelivered',
      withReadModel(async (readModel) => {
        const uploader = uniqueId('user');
        const [first, second] = [uniqueId('file'), uniqueId('file')];
        const upload = uploadOf(first, uploader, '2024-05-01T10:00:00.000Z');
        expect(await readModel.appliedRevision(`file-${first}`)).toBeNull();
        expect(
          await readModel.applyBatch([
            upload,
            upload,
            uploadOf(second, uploader, '2024-05-01T10:01:00.000Z'),
          ]),
        ).toEqual([true, false, true]);
        expect(await readModel.applyBatch([upload])).toEqual([false]);
        expect(await readModel.appliedRevision(`file-${first}`)).toBe(0);
        expect(await readModel.countUploadsSince(uploader, new Date(0))).toBe(2);
      }),
    );

    it(
      'applies a batch of many uploads at once',
      withReadModel(async (readModel) => {
        const uploader = uniqueId('user');
        const batch = Array.from({ length: 200 }, () =>
          uploadOf(uniqueId('file'), uploader, '2024-05-01T10:00:00.000Z'),
        );
        expect((await readModel.applyBatch(batch)).every(Boolean)).toBe(true);
        expect(await readModel.countUploadsSince(uploader, new Date(0))).toBe(200);
      }),
    );

    it(
      "forgets an erased user's uploads, takes in none of theirs afterwards, and says they were erased",
      withReadModel(async (readModel) => {
        const [erased, other] = [uniqueId('user'), uniqueId('user')];
        const [mine, theirs, late] = [uniqueId('file'), uniqueId('file'), uniqueId('file')];
        await readModel.applyBatch([
          uploadOf(mine, erased, '2024-05-01T10:00:00.000Z'),
          uploadOf(theirs, other, '2024-05-01T10:00:00.000Z'),
        ]);
        expect(await readModel.uploadsBy(erased)).toEqual([mine]);
        const erasure: MediaReadModelUpdate = {
          at: { stream: `user-${erased}`, revision: 0 },
          changes: [{ kind: 'user_erased', user_id: erased }],
        };
        expect(await readModel.applyBatch([erasure])).toEqual([true]);
        await readModel.applyBatch([uploadOf(late, erased, '2024-05-01T11:00:00.000Z')]);
        expect(await readModel.uploadsBy(erased)).toEqual([]);
        expect(await readModel.countUploadsSince(erased, new Date(0))).toBe(0);
        expect(await readModel.isErased(erased)).toBe(true);
        expect(await readModel.isErased(other)).toBe(false);
        expect(await readModel.uploadsBy(other)).toEqual([theirs]);
      }),
    );

    it(
      "lists a room's uploads before a time, oldest first, and forgets those that expired",
      withReadModel(async (readModel) => {
        const [room, otherRoom, uploader] = [uniqueId('room'), uniqueId('room'), uniqueId('user')];
        const [oldest, old, recent, elsewhere] = [uniqueId('f'), uniqueId('f'), uniqueId('f'), uniqueId('f')];
        await readModel.applyBatch([
          uploadOf(old, uploader, '2024-05-01T10:00:00.000Z', room),
          uploadOf(oldest, uploader, '2024-05-01T09:00:00.000Z', room),
          uploadOf(recent, uploader, '2024-05-03T10:00:00.000Z', room),
          uploadOf(elsewhere, uploader, '2024-05-01T09:00:00.000Z', otherRoom),
        ]);
        const cutoff = new Date('2024-05-02T00:00:00.000Z');
        expect(await readModel.uploadsInRoomBefore(room, cutoff, 10)).toEqual([oldest, old]);
        expect(await readModel.uploadsInRoomBefore(room, cutoff, 1)).toEqual([oldest]);
        const expiry: MediaReadModelUpdate = {
          at: { stream: `room-${room}`, revision: 5 },
          changes: [{ kind: 'uploads_expired', file_ids: [oldest, old] }],
        };
        expect(await readModel.applyBatch([expiry, expiry])).toEqual([true, false]);
        expect(await readModel.uploadsInRoomBefore(room, cutoff, 10)).toEqual([]);
        expect(await readModel.uploadsBy(uploader)).toEqual([elsewhere, recent]);
      }),
    );
  });
};
