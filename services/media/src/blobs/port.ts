/**
 * The blob store port: objects by key. Clients write uploads directly through short-lived signed
 * URLs, so an upload never passes through the services' request handlers; the media service
 * reads and writes objects itself to seal a verified file (see `files/sealed-file.ts`) and to
 * serve it opened. Keys are paths of `[A-Za-z0-9_.-]` segments. Upload URLs may be relative to
 * the platform's origin (an adapter that serves them itself) or absolute (S3). Adapters pass the
 * one suite in `conformance.ts`.
 */
export interface BlobStore {
  /** A URL that takes one PUT of exactly `size` bytes as the object at `key`, until `expiresAt`. */
  uploadUrl(key: string, upload: { size: number; expiresAt: Date }): Promise<string>;
  /** The object's size and its first `headBytes` bytes; null when there is no object. */
  inspect(key: string, headBytes: number): Promise<{ size: number; head: Uint8Array } | null>;
  /** The object's bytes, streamed; null when there is no object. */
  read(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  /** Stores exactly `size` bytes of `body` at `key`, replacing what is there; no reader sees part of it. */
  write(key: string, body: AsyncIterable<Uint8Array>, size: number): Promise<void>;
  /** Moves the object to `to`, replacing what is there; false when there is nothing at `from`. */
  move(from: string, to: string): Promise<boolean>;
  /** Removes the object; removing one that is not there is no error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Keys are made by the service, never taken from a client; this guards against a bug, not an attack. */
export const assertKey = (key: string): void => {
  if (!KEY.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`Invalid blob key ${JSON.stringify(key)}`);
  }
};

/** `Content-Disposition` of a download: always an attachment, never rendered in the platform's origin. */
export const attachmentDisposition = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 5987: encodeURIComponent leaves a few characters that are not allowed there.
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
};
