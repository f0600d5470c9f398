import { uniqueId, withOpenedReadModel, type OpenedReadModel } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import type { MediaReadModel } from './port';

/** The one suite every MediaReadModel adapter passes. Ids are unique per test: a shared server is fine. */
export const mediaReadModelConformance = (
  name: string,
  open: () => Promise<OpenedReadModel<MediaReadModel>>,
) => {
  const withReadModel = withOpenedReadModel(open);

  describe(`MediaReadModel conformance: ${name}`, () => {
    it(
      'knows members, outsiders and rooms that do not exist',
      withReadModel(async (readModel) => {
        const room = uniqueId('room');
        const stream = `room-${room}`;
        await readModel.apply({ stream, revision: 0 }, [
          { kind: 'room_created', room_id: room, private: true },
          { kind: 'member_added', room_id: room, user_id: 'alice' },
        ]);
        expect(await readModel.roomAccess(room, 'alice')).toEqual({ private: true, member: true });
        expect(await readModel.roomAccess(room, 'mallory')).toEqual({ private: true, member: false });
        expect(await readModel.roomAccess(uniqueId('room'), 'alice')).toBeNull();

        await readModel.apply({ stream, revision: 1 }, [
          { kind: 'room_updated', room_id: room, private: false },
        ]);
        await readModel.apply({ stream, revision: 2 }, [
          { kind: 'member_removed', room_id: room, user_id: 'alice' },
        ]);
        expect(await readModel.roomAccess(room, 'alice')).toEqual({ private: false, member: false });
        await readModel.apply({ stream, revision: 3 }, [{ kind: 'room_deleted', room_id: room }]);
        expect(await readModel.roomAccess(room, 'alice')).toBeNull();
      }),
    );

    it(
      'applies each revision of a stream once',
      withReadModel(async (readModel) => {
        const room = uniqueId('room');
        const stream = `room-${room}`;
        expect(await readModel.appliedRevision(stream)).toBeNull();
        const joined = [{ kind: 'member_added', room_id: room, user_id: 'bob' }] as const;
        await readModel.apply({ stream, revision: 0 }, [
          { kind: 'room_created', room_id: room, private: false },
        ]);
        expect(await readModel.apply({ stream, revision: 1 }, [...joined])).toBe(true);
        await readModel.apply({ stream, revision: 2 }, [
          { kind: 'member_removed', room_id: room, user_id: 'bob' },
        ]);
        expect(await readModel.apply({ stream, revision: 1 }, [...joined])).toBe(false);
        expect(await readModel.roomAccess(room, 'bob')).toEqual({ private: false, member: false });
        expect(await readModel.appliedRevision(stream)).toBe(2);
      }),
    );

    it(
      "counts a user's uploads since a time",
      withReadModel(async (readModel) => {
        const uploader = uniqueId('user');
        const upload = (file_id: string, requested_at: string) =>
          readModel.apply({ stream: `file-${file_id}`, revision: 0 }, [
            { kind: 'upload_requested', file_id, uploader_id: uploader, requested_at },
          ]);
        await upload(uniqueId('file'), '2024-05-01T09:00:00.000Z');
        await upload(uniqueId('file'), '2024-05-01T10:00:00.000Z');
        await upload(uniqueId('file'), '2024-05-01T10:30:00.000Z');
        expect(await readModel.countUploadsSince(uploader, new Date('2024-05-01T10:00:00.000Z'))).toBe(2);
        expect(await readModel.countUploadsSince(uniqueId('user'), new Date(0))).toBe(0);
      }),
    );
  });
};
