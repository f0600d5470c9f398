import { createHash } from 'node:crypto';

/**
 * The id of the message a send command produces, derived from the command rather than drawn at
 * random: re-deciding the command yields the same id, which is how a repeat is recognised. The
 * actor is part of it because command ids are chosen by clients (their `client_msg_id`) and two
 * users may well pick the same one; the room keeps ids unique across rooms. 132 bits.
 */
export const messageIdFor = (roomId: string, actorId: string, commandId: string): string =>
  `msg_${createHash('sha256')
    .update(JSON.stringify([roomId, actorId, commandId]))
    .digest('base64url')
    .slice(0, 22)}`;
