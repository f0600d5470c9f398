import type { MediaEventOf } from '@chat/contracts';
import type { NewEvent } from '@chat/eventstore';
import { sealFileName, type ContentCipher } from '@chat/privacy';

type Named = MediaEventOf<'UploadRequested' | 'FileVerified'>['data'];
const NAMED_EVENTS = new Set(['UploadRequested', 'FileVerified']);

/**
 * Seals the file name of a file's new events before they are appended, under the file's own key:
 * the event store and `media.events` hold no name in clear, and erasing the uploader (which
 * destroys the key) makes the name unreadable with the file.
 */
export const sealFileEvents =
  (cipher: Pick<ContentCipher, 'fileKey'>) =>
  async (_stream: string, events: NewEvent[]): Promise<NewEvent[]> =>
    Promise.all(
      events.map(async (event) => {
        if (!NAMED_EVENTS.has(event.type)) return event;
        const data = event.data as Named;
        return { ...event, data: { ...data, file_name: await sealFileName(cipher, data, data.file_name) } };
      }),
    );
