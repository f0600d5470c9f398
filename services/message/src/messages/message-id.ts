import { createHash } from 'node:crypto';

const derivedId = (prefix: string, parts: string[]): string =>
  `${prefix}${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22)}`;

/**
 * The id of the message a send command produces, derived from the command rather than drawn at
 * random: re-deciding the command yields the same id, which is how a repeat is recognised. The
 * actor is part of it so that two users' commands never share a message id, whatever their
 * command ids (a send's derives from its client's `client_msg_id`: `sendCommandId`); the room
 * keeps ids unique across rooms. 132 bits.
 */
export const messageIdFor = (roomId: string, actorId: string, commandId: string): string =>
  derivedId('msg_', [roomId, actorId, commandId]);

/** The id of an edit, derived from its command in the same way, so a repeated edit is recognised. */
export const editIdFor = (roomId: string, actorId: string, commandId: string): string =>
  derivedId('edit_', [roomId, actorId, commandId]);
