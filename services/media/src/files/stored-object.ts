/** What the content of a stored object turned out to be, judged from its first bytes. */
export type SniffedContent =
  /** A signature was recognised. */
  | { kind: 'typed'; mime: string }
  /** No signature, and the bytes read as UTF-8 text. */
  | { kind: 'text' }
  /** Text starting with `#!`: a script meant to be executed. */
  | { kind: 'script' }
  /** No signature, and not text. */
  | { kind: 'unknown' };

/** An uploaded object as the media service found it in blob storage. */
export interface StoredObject {
  size: number;
  content: SniffedContent;
}
