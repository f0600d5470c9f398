import {
  acceptAll,
  decodeGroupState,
  decodeMlsMessage,
  defaultCapabilities,
  emptyPskIndex,
  processMessage,
  type ClientState,
  defaultLifetime,
  encodeMlsMessage,
  generateKeyPackage,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type ContentTypeName,
} from 'ts-mls';
import { defaultClientConfig } from 'ts-mls/clientConfig.js';

/**
 * An MLS PrivateMessage of a group as a Delivery Service sees one: real framing (RFC 9420 §6),
 * opaque bytes where the sender data and ciphertext go — the server never reads past the framing.
 */
export const framedMlsMessage = (groupId: string, epoch: number, contentType: ContentTypeName): string =>
  Buffer.from(
    encodeMlsMessage({
      version: 'mls10',
      wireformat: 'mls_private_message',
      privateMessage: {
        groupId: new TextEncoder().encode(groupId),
        epoch: BigInt(epoch),
        contentType,
        authenticatedData: new Uint8Array(),
        encryptedSenderData: new Uint8Array(16).fill(7),
        ciphertext: new Uint8Array(48).fill(9),
      },
    }),
  ).toString('base64');

/** A real KeyPackage (an MLSMessage, base64) whose basic credential names `identity`. */
export const keyPackageFor = async (identity: string): Promise<string> => {
  const cs = await getCiphersuiteImpl(getCiphersuiteFromName('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'));
  const credential = { credentialType: 'basic' as const, identity: new TextEncoder().encode(identity) };
  const { publicPackage } = await generateKeyPackage(
    credential,
    defaultCapabilities(),
    defaultLifetime,
    [],
    cs,
  );
  return Buffer.from(
    encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: publicPackage }),
  ).toString('base64');
};

/**
 * What a holder of a saved group state (`encodeGroupState` bytes, as `@chat/client/mls` stores
 * them) can read of later MLS messages of the group, processed in order: the texts, or the error
 * that stopped them.
 */
export const readWithSavedState = async (
  savedState: Uint8Array,
  messages: string[],
): Promise<{ texts: string[]; error?: string }> => {
  const cs = await getCiphersuiteImpl(getCiphersuiteFromName('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'));
  const decoded = decodeGroupState(savedState, 0);
  if (!decoded) throw new Error('not a saved group state');
  let state: ClientState = { ...decoded[0], clientConfig: defaultClientConfig };
  const texts: string[] = [];
  for (const base64 of messages) {
    const message = decodeMlsMessage(Buffer.from(base64, 'base64'), 0)?.[0];
    if (message?.wireformat !== 'mls_private_message' && message?.wireformat !== 'mls_public_message') {
      return { texts, error: 'not an MLS message' };
    }
    try {
      const result = await processMessage(message, state, emptyPskIndex, acceptAll, cs);
      state = result.newState;
      if (result.kind === 'applicationMessage') texts.push(new TextDecoder().decode(result.message));
    } catch (error) {
      return { texts, error: String(error) };
    }
  }
  return { texts };
};
