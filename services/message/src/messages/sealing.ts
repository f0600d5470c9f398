import type { CommandContext, EventOf } from '@chat/contracts';
import type { NewEvent } from '@chat/eventstore';
import { commandContentAad, contentAad, type ContentCipher } from '@chat/privacy';
import type { IncomingCommand } from '../commands/command-handler';

type Sent = EventOf<'MessageSent'>['data'];
type Edited = EventOf<'MessageEdited'>['data'];

/**
 * Seals the content of a room's new messages and edits before they are appended, under the
 * writer's data key for the room and the day: the event store, and the bus the relay feeds from
 * it, hold only ciphertext. An edit is sealed under its author's key (only the sender edits).
 */
export const sealMessageEvents =
  (cipher: ContentCipher) =>
  async (_stream: string, events: NewEvent[]): Promise<NewEvent[]> =>
    Promise.all(
      events.map(async (event) => {
        if (event.type === 'MessageSent') {
          const data = event.data as Sent;
          const context = { scope: data.room_id, user_id: data.sender_id, at: data.created_at };
          return {
            ...event,
            data: { ...data, content: await cipher.seal(data.content, context, contentAad(data)) },
          };
        }
        if (event.type === 'MessageEdited') {
          const data = event.data as Edited;
          const author = String(event.metadata?.actor_id);
          const context = { scope: data.room_id, user_id: author, at: data.edited_at };
          return {
            ...event,
            data: { ...data, content: await cipher.seal(data.content, context, contentAad(data)) },
          };
        }
        return event;
      }),
    );

/**
 * Opens the content the gateway sealed into a command on the bus (see its `send.ts`). A command
 * whose content does not open is answered as malformed; one written before encryption passes as it is.
 */
export const openCommandContent = async (
  cipher: ContentCipher,
  context: CommandContext,
  command: IncomingCommand,
): Promise<{ ok: true; command: IncomingCommand } | { ok: false; reason: string }> => {
  const data = command.data as { room_id?: unknown; content?: unknown } | null;
  if (typeof data?.content !== 'string' || typeof data.room_id !== 'string') return { ok: true, command };
  const opened = await cipher.open(data.content, commandContentAad(data.room_id, context.command_id));
  if (opened.ok) return { ok: true, command: { ...command, data: { ...data, content: opened.text } } };
  return { ok: false, reason: 'gone' in opened ? `its content's key is ${opened.gone}` : opened.message };
};
