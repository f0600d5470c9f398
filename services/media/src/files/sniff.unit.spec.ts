import { describe, expect, it } from 'vitest';
import { sniffContent } from './sniff';

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const ELF_HEADER = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);
const peHeader = () => {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
};

describe('sniffContent', () => {
  it.each<[string, Uint8Array, unknown]>([
    ['a PNG', PNG_SIGNATURE, { kind: 'typed', mime: 'image/png' }],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\n'), { kind: 'typed', mime: 'application/pdf' }],
    ['an ELF executable', ELF_HEADER, { kind: 'typed', mime: 'application/x-elf' }],
    ['a PE executable', peHeader(), { kind: 'typed', mime: 'application/x-msdownload' }],
    ['UTF-8 text', Buffer.from('Grüße, 世界\n'), { kind: 'text' }],
    ['text cut inside a character', Buffer.from('Grüße').subarray(0, 3), { kind: 'text' }],
    ['a script', Buffer.from('#!/bin/sh\nrm -rf ~\n'), { kind: 'script' }],
    ['binary noise', Buffer.from([0x00, 0xff, 0x13, 0x37]), { kind: 'unknown' }],
  ])('recognises %s', async (_, head, expected) => {
    expect(await sniffContent(head)).toEqual(expected);
  });
});
