import { nameBasedUuid, uuidBytes } from './name-based-uuid';

/**
 * The namespace of send command ids. Fixed for good: another value would stop recognising a
 * repeat of a send made before the change.
 */
const SEND_NAMESPACE = uuidBytes('702d2ac3-4c0c-4781-b6bf-ee01a9abfa92');

/**
 * The command id of a send, the same over the WebSocket and REST: one user's `client_msg_id` is
 * one message whichever way it came, and a repeat is answered with the original.
 *
 * The id is a hash of the pair, never the client's text: no `client_msg_id` gives another user's
 * command id, short of a SHA-1 second preimage (event ids derive from command ids, and one taken
 * twice would be refused by the event store). The pair is hashed as a JSON array, which reads back
 * one way only: `('bob', 'x:y')` and `('bob:x', 'y')` are different inputs, whatever characters
 * user ids hold. Without a `client_msg_id` every send is a new command: a random (version 4) id,
 * never equal to a derived one.
 */
export const sendCommandId = (userId: string, clientMsgId: string | null | undefined): string =>
  clientMsgId ? nameBasedUuid(SEND_NAMESPACE, JSON.stringify([userId, clientMsgId])) : crypto.randomUUID();
