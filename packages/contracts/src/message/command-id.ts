/**
 * The namespace of send command ids (RFC 9562 name-based UUIDs). Fixed for good: another value
 * would stop recognising a repeat of a send made before the change.
 */
const SEND_NAMESPACE = '702d2ac3-4c0c-4781-b6bf-ee01a9abfa92';

const uuidBytes = (uuid: string): Uint8Array =>
  Uint8Array.from(uuid.replaceAll('-', '').match(/../g)!, (pair) => parseInt(pair, 16));

const uuidText = (bytes: Uint8Array): string => {
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/**
 * A version 5 UUID: SHA-1 over the namespace and the name. WebCrypto, not `node:crypto`: the
 * browser client imports the contracts too.
 */
const uuidV5 = async (namespace: string, name: string): Promise<string> => {
  const prefix = uuidBytes(namespace);
  const suffix = new TextEncoder().encode(name);
  const input = new Uint8Array(prefix.length + suffix.length);
  input.set(prefix);
  input.set(suffix, prefix.length);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', input));
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  return uuidText(hash.subarray(0, 16));
};

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
export const sendCommandId = (userId: string, clientMsgId: string | null | undefined): Promise<string> =>
  clientMsgId
    ? uuidV5(SEND_NAMESPACE, JSON.stringify([userId, clientMsgId]))
    : Promise.resolve(crypto.randomUUID());
