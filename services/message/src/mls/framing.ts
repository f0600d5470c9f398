import { reject, type MlsFraming, type Rejection, type Result } from '@chat/contracts';
import { decodeMlsMessage } from 'ts-mls';

/**
 * The MLSMessage that is the whole of these base64 bytes, read without any key; null when they are
 * not one (malformed, or trailing bytes after it).
 */
export const decodeWholeMlsMessage = (base64: string) => {
  const bytes = Buffer.from(base64, 'base64');
  let decoded: ReturnType<typeof decodeMlsMessage>;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch {
    return null;
  }
  return decoded && decoded[1] === bytes.length ? decoded[0] : null;
};

const fail = (message: string): Result<MlsFraming, Rejection> => ({
  ok: false,
  error: reject('malformed_mls', message),
});

/**
 * The public framing of a room's MLS message (RFC 9420 §6): its epoch and content type, which both
 * wire formats carry in clear, read without any key. Only a whole PrivateMessage or PublicMessage
 * of the room's own group (its id is the room id's UTF-8 bytes) is a room message: a Welcome, a
 * KeyPackage or a GroupInfo is not, nor are trailing bytes.
 */
export const readMlsFraming = (base64: string, roomId: string): Result<MlsFraming, Rejection> => {
  const message = decodeWholeMlsMessage(base64);
  if (!message) return fail('Not an MLSMessage.');
  const framed =
    message.wireformat === 'mls_private_message'
      ? message.privateMessage
      : message.wireformat === 'mls_public_message'
        ? message.publicMessage.content
        : null;
  if (!framed) return fail(`A room takes MLS private or public messages, not ${message.wireformat}.`);
  if (Buffer.from(framed.groupId).toString('utf8') !== roomId) {
    return fail("The MLS message is not of this room's group.");
  }
  if (framed.epoch > BigInt(Number.MAX_SAFE_INTEGER)) return fail('The epoch is out of range.');
  return { ok: true, value: { epoch: Number(framed.epoch), content_type: framed.contentType } };
};
