import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, openFile, sealFile, sealedSize, SealedFileRefused } from './sealed-file';

const key = randomBytes(32);

/** Feeds `bytes` in pieces of `pieceSize`, as a stream would. */
async function* streamOf(bytes: Buffer, pieceSize = 10_000): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += pieceSize) yield bytes.subarray(at, at + pieceSize);
}

const collect = async (chunks: AsyncIterable<Buffer>): Promise<Buffer> => {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
};

const seal = (plain: Buffer, fileId = 'file_a') => collect(sealFile(streamOf(plain), key, fileId));
const open = (sealed: Buffer, fileId = 'file_a', withKey = key) =>
  collect(openFile(streamOf(sealed, 7_777), withKey, fileId));

describe('a sealed file', () => {
  it.each([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES, 200_001])(
    'of %i bytes opens to the same bytes, at the size announced',
    async (size) => {
      const plain = randomBytes(size);
      const sealed = await seal(plain);
      expect(sealed.length).toBe(sealedSize(size));
      expect((await open(sealed)).equals(plain)).toBe(true);
    },
  );

  it('holds none of its plaintext in clear', async () => {
    const plain = Buffer.from('canary-7f3a '.repeat(20_000));
    const sealed = await seal(plain);
    expect(sealed.includes(Buffer.from('canary-7f3a'))).toBe(false);
  });

  it('is refused when any byte is changed', async () => {
    const sealed = await seal(randomBytes(2 * CHUNK_BYTES + 100));
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: sealed.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, flip) => {
          const changed = Buffer.from(sealed);
          changed[at] = changed[at]! ^ flip;
          await expect(open(changed)).rejects.toBeInstanceOf(SealedFileRefused);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is refused when cut short at a chunk boundary, or with a chunk dropped or repeated', async () => {
    const sealed = await seal(randomBytes(3 * CHUNK_BYTES + 5));
    const header = 13;
    const chunk = CHUNK_BYTES + 16;
    const chunks = [0, 1, 2, 3].map((i) => sealed.subarray(header + i * chunk, header + (i + 1) * chunk));
    const head = sealed.subarray(0, header);
    await expect(open(Buffer.concat([head, ...chunks.slice(0, 3)]))).rejects.toBeInstanceOf(
      SealedFileRefused,
    );
    await expect(open(Buffer.concat([head, chunks[0]!, chunks[2]!, chunks[3]!]))).rejects.toBeInstanceOf(
      SealedFileRefused,
    );
    await expect(
      open(Buffer.concat([head, chunks[0]!, chunks[0]!, chunks[1]!, chunks[2]!, chunks[3]!])),
    ).rejects.toBeInstanceOf(SealedFileRefused);
    await expect(open(head)).rejects.toBeInstanceOf(SealedFileRefused);
  });

  it('is refused under another file id or another key', async () => {
    const sealed = await seal(randomBytes(1000));
    await expect(open(sealed, 'file_b')).rejects.toBeInstanceOf(SealedFileRefused);
    await expect(open(sealed, 'file_a', randomBytes(32))).rejects.toBeInstanceOf(SealedFileRefused);
  });
});
