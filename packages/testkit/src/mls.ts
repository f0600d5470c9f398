import {
  defaultCapabilities,
  defaultLifetime,
  encodeMlsMessage,
  generateKeyPackage,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type ContentTypeName,
} from 'ts-mls';

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
