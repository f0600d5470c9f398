import { fileTypeFromBuffer } from 'file-type';
import type { SniffedContent } from './stored-object';

/** How much of an object is read to judge it: enough for file-type to look inside OOXML zips. */
export const SNIFF_BYTES = 64 * 1024;

const SHEBANG = [0x23, 0x21]; // "#!"

/** Valid UTF-8 with no NUL. A multi-byte character cut off at the end of the head is fine. */
const readsAsText = (head: Uint8Array): boolean => {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
};

/** Judges content by its first bytes: a known signature (file-type), else text, else unknown. */
export const sniffContent = async (head: Uint8Array): Promise<SniffedContent> => {
  const typed = await fileTypeFromBuffer(head);
  if (typed) return { kind: 'typed', mime: typed.mime };
  if (!readsAsText(head)) return { kind: 'unknown' };
  return head[0] === SHEBANG[0] && head[1] === SHEBANG[1] ? { kind: 'script' } : { kind: 'text' };
};
