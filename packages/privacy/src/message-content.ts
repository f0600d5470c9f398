import type { ContentCipher, Opened } from './cipher';

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
export const openContents = async <T extends ContentPlace & { content: string }>(
  cipher: ContentCipher,
  items: readonly T[],
  onRefused: (item: T, message: string) => void,
): Promise<(T & Partial<OpenedFields>)[]> =>
  Promise.all(
    items.map(async (item) => {
      const opened = await cipher.open(item.content, contentAad(item));
      if (!opened.ok && 'refused' in opened) onRefused(item, opened.message);
      return { ...item, ...fieldsOf(opened) };
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
