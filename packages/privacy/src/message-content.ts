import type { ContentCipher, Opened } from './cipher';
import { isSealed, sealWith } from './envelope';

/** Where a message's content belongs: its room and id, and for an edit's content, the edit's time. */
export interface ContentPlace {
  room_id: string;
  message_id: string;
  /** Set when the content is an edit's: binds it to that edit, so an older edit cannot be put back. */
  edited_at?: string | undefined;
}

/**
 * The associated data of a message's stored content: the room's stream and the message id (and
 * the edit's time for an edit), all of which the event, the read model row and the frame carry.
 */
export const contentAad = ({ room_id, message_id, edited_at }: ContentPlace): string =>
  `message\u0000room-${room_id}\u0000${message_id}${edited_at ? `\u0000${edited_at}` : ''}`;

/** The associated data of a push preview kept with a delivery (notification events): its message. */
export const previewAad = ({ room_id, message_id }: ContentPlace): string =>
  `preview\u0000room-${room_id}\u0000${message_id}`;

/** The associated data of a command's content on the bus: its room and command id. */
export const commandContentAad = (roomId: string, commandId: string): string =>
  `command\u0000room-${roomId}\u0000${commandId}`;

/**
 * The associated data of the name of a file a message (or a send command) shares, next to its
 * content: the content's own associated data, marked as the name's.
 */
export const attachmentNameAad = (contentAadValue: string): string => `${contentAadValue}\u0000file_name`;

/** Content that could not be opened: an empty tombstone saying why, or refused. */
export type OpenedFields = { content: string; erased?: true; expired?: true };

const fieldsOf = (opened: Opened): OpenedFields => {
  if (opened.ok) return { content: opened.text };
  if ('gone' in opened) return { content: '', [opened.gone]: true };
  return { content: '' };
};

/**
 * Opens the content of each message (an event's data, a history row, a frame): its text, or an
 * empty content flagged `erased` / `expired` when its key was destroyed. Content that does not
 * authenticate shows empty and is reported to `onRefused` (the caller logs it): one bad value
 * must not stop a page or a partition.
 */
export const openContents = async <
  T extends ContentPlace & { content: string; file?: { file_name: string } | undefined },
>(
  cipher: ContentCipher,
  items: readonly T[],
  onRefused: (item: T, message: string) => void,
): Promise<(T & Partial<OpenedFields>)[]> =>
  Promise.all(
    items.map(async (item) => {
      const aad = contentAad(item);
      const opened = await cipher.open(item.content, aad);
      if (!opened.ok && 'refused' in opened) onRefused(item, opened.message);
      if (!item.file) return { ...item, ...fieldsOf(opened) };
      const name = await cipher.open(item.file.file_name, attachmentNameAad(aad));
      const file = { ...item.file, file_name: name.ok ? name.text : '' };
      return { ...item, ...fieldsOf(opened), file };
    }),
  );

/** The event types whose data carries a message's content. */
const CONTENT_EVENTS = new Set(['MessageSent', 'MessageEdited']);

/**
 * The events with the content of each MessageSent and MessageEdited opened (see `openContents`);
 * other events as they are.
 */
export const openMessageEvents = async <E extends { type: string; data: unknown }>(
  cipher: ContentCipher,
  events: readonly E[],
  onRefused: (item: ContentPlace, message: string) => void,
): Promise<E[]> =>
  Promise.all(
    events.map(async (event) => {
      if (!CONTENT_EVENTS.has(event.type)) return event;
      const [data] = await openContents(
        cipher,
        [event.data as ContentPlace & { content: string }],
        onRefused,
      );
      return { ...event, data };
    }),
  );

/** Logs, with the message's place and never its content, a value that did not authenticate. */
export const logRefusedContent =
  (logger: { error(fields: object, message: string): void }) =>
  (item: ContentPlace, reason: string): void =>
    logger.error({ room_id: item.room_id, message_id: item.message_id, reason }, 'content refused');

/**
 * The associated data of a file's name as the media service stores it: sealed under the file's
 * own key (see `fileKeyRef`), so erasing the uploader makes the name unreadable with the file.
 */
export const fileNameAad = (fileId: string): string => `file-name\u0000${fileId}`;

/** Seals a file's name under the file's key; a name already sealed is kept as it is. */
export const sealFileName = async (
  cipher: Pick<ContentCipher, 'fileKey'>,
  file: { file_id: string; uploader_id: string },
  name: string,
): Promise<string> => {
  if (isSealed(name)) return name;
  const { keyId, key } = await cipher.fileKey(file.file_id, file.uploader_id);
  return sealWith(key, keyId, name, fileNameAad(file.file_id));
};

/** A file's name opened; empty when its key was destroyed or it does not authenticate. */
export const openFileName = async (
  cipher: Pick<ContentCipher, 'open'>,
  fileId: string,
  name: string,
): Promise<string> => {
  const opened = await cipher.open(name, fileNameAad(fileId));
  return opened.ok ? opened.text : '';
};
