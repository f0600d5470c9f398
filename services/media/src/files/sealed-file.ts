import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A file's bytes sealed at rest: AES-256-GCM in the STREAM construction (Hoang, Reyhanitabar,
 * Rogaway and Vizár, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance"),
 * so a file of any size is sealed and opened chunk by chunk in bounded memory, and a chunk that
 * is changed, dropped, repeated, reordered or cut off the end is refused.
 *
 * Layout: a header (`MAGIC`, then a random 7-byte nonce prefix), then chunks of `CHUNK_BYTES` of
 * plaintext, each followed by its 16-byte tag. The nonce of chunk i is the prefix, i as four
 * bytes, and one byte saying whether it is the last chunk (an empty file is one empty last
 * chunk). The associated data names the file, so one file's object cannot pass for another's.
 */
const MAGIC = Buffer.from('CHATF1');
const PREFIX_BYTES = 7;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + PREFIX_BYTES;
export const CHUNK_BYTES = 64 * 1024;

export class SealedFileRefused extends Error {}

/** The size of the sealed object of a file of `size` bytes. */
export const sealedSize = (size: number): number =>
  HEADER_BYTES + size + Math.max(1, Math.ceil(size / CHUNK_BYTES)) * TAG_BYTES;

const nonceOf = (prefix: Buffer, index: number, last: boolean): Buffer => {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, PREFIX_BYTES);
  nonce[11] = last ? 1 : 0;
  return nonce;
};

/** Regroups a byte stream into pieces of exactly `size` bytes, the last one shorter (or empty). */
async function* piecesOf(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.byteLength;
    while (pendingBytes >= size) {
      const joined = Buffer.concat(pending, pendingBytes);
      yield joined.subarray(0, size);
      pending = [joined.subarray(size)];
      pendingBytes -= size;
    }
  }
  yield Buffer.concat(pending, pendingBytes);
}

/**
 * Looks one piece ahead, so each piece comes with whether it is the last. A final empty piece
 * after full ones is dropped (its predecessor is the last), unless it is the only one.
 */
async function* withLast(pieces: AsyncIterable<Buffer>): AsyncGenerator<{ piece: Buffer; last: boolean }> {
  let previous: Buffer | null = null;
  for await (const piece of pieces) {
    if (previous !== null) {
      if (piece.length === 0) break;
      yield { piece: previous, last: false };
    }
    previous = piece;
  }
  yield { piece: previous ?? Buffer.alloc(0), last: true };
}

/** Seals `plaintext` under `key` (32 bytes) for the file `fileId`. */
export async function* sealFile(
  plaintext: AsyncIterable<Uint8Array>,
  key: Buffer,
  fileId: string,
): AsyncGenerator<Buffer> {
  const prefix = randomBytes(PREFIX_BYTES);
  yield Buffer.concat([MAGIC, prefix]);
  let index = 0;
  for await (const { piece, last } of withLast(piecesOf(plaintext, CHUNK_BYTES))) {
    const cipher = createCipheriv('aes-256-gcm', key, nonceOf(prefix, index, last));
    cipher.setAAD(Buffer.from(fileId));
    yield Buffer.concat([cipher.update(piece), cipher.final(), cipher.getAuthTag()]);
    index += 1;
  }
}

/** Opens what `sealFile` sealed, chunk by chunk; throws `SealedFileRefused` at the first bad chunk. */
export async function* openFile(
  sealed: AsyncIterable<Uint8Array>,
  key: Buffer,
  fileId: string,
): AsyncGenerator<Buffer> {
  let prefix: Buffer | null = null;
  let index = 0;
  const header = { done: false };
  const rest = async function* () {
    let buffered = Buffer.alloc(0);
    for await (const chunk of sealed) {
      if (header.done) {
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        continue;
      }
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < HEADER_BYTES) continue;
      if (!buffered.subarray(0, MAGIC.length).equals(MAGIC))
        throw new SealedFileRefused('Not a sealed file.');
      prefix = Buffer.from(buffered.subarray(MAGIC.length, HEADER_BYTES));
      header.done = true;
      yield buffered.subarray(HEADER_BYTES);
    }
    if (!header.done) throw new SealedFileRefused('The sealed file is cut short.');
  };
  for await (const { piece, last } of withLast(piecesOf(rest(), CHUNK_BYTES + TAG_BYTES))) {
    if (piece.length < TAG_BYTES) throw new SealedFileRefused('The sealed file is cut short.');
    const decipher = createDecipheriv('aes-256-gcm', key, nonceOf(prefix!, index, last));
    decipher.setAAD(Buffer.from(fileId));
    decipher.setAuthTag(piece.subarray(piece.length - TAG_BYTES));
    const plain = decipher.update(piece.subarray(0, piece.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      throw new SealedFileRefused(`Chunk ${index} does not authenticate.`);
    }
    yield plain;
    index += 1;
  }
}
