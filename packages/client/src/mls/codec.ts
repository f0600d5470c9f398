import {
  decodeMlsMessage,
  encodeMlsMessage,
  type KeyPackage,
  type MLSMessage,
  type PrivateKeyPackage,
  type Welcome,
} from 'ts-mls';

export const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

export const fromBase64 = (text: string): Uint8Array =>
  Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

export const utf8 = new TextEncoder();
export const fromUtf8 = new TextDecoder();

/** An MLSMessage from its base64 bytes, or undefined when they are not one. */
export const decodeMessage = (base64: string): MLSMessage | undefined =>
  decodeMlsMessage(fromBase64(base64), 0)?.[0];

export const encodeMessage = (message: MLSMessage): string => toBase64(encodeMlsMessage(message));

export const keyPackageMessage = (keyPackage: KeyPackage): string =>
  encodeMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage });

export const welcomeMessage = (welcome: Welcome): string =>
  encodeMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome });

/** A KeyPackage with its private keys, as the key store keeps it until a Welcome uses it. */
export interface OwnKeyPackage {
  publicPackage: KeyPackage;
  privatePackage: PrivateKeyPackage;
}

export const encodeOwnKeyPackage = ({ publicPackage, privatePackage }: OwnKeyPackage): Uint8Array =>
  utf8.encode(
    JSON.stringify({
      key_package: keyPackageMessage(publicPackage),
      init: toBase64(privatePackage.initPrivateKey),
      hpke: toBase64(privatePackage.hpkePrivateKey),
      signature: toBase64(privatePackage.signaturePrivateKey),
    }),
  );

export const decodeOwnKeyPackage = (bytes: Uint8Array): OwnKeyPackage => {
  const stored = JSON.parse(fromUtf8.decode(bytes)) as Record<
    'key_package' | 'init' | 'hpke' | 'signature',
    string
  >;
  const message = decodeMessage(stored.key_package);
  if (message?.wireformat !== 'mls_key_package') throw new Error('A stored KeyPackage is corrupt.');
  return {
    publicPackage: message.keyPackage,
    privatePackage: {
      initPrivateKey: fromBase64(stored.init),
      hpkePrivateKey: fromBase64(stored.hpke),
      signaturePrivateKey: fromBase64(stored.signature),
    },
  };
};
