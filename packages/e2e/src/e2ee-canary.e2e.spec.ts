import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient } from '@chat/client';
import { EncryptedRooms } from '@chat/client/mls';
import { eventually } from '@chat/testkit';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import type { Harness } from './harness';

/** Every byte the embedded platform keeps: event stores, read models, bus, indexes, blobs. */
const filesUnder = (directory: string): string[] =>
  readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

describe('an end-to-end encrypted room, as stored', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-e2ee-canary-'));
  let h: Harness;
  beforeAll(async () => {
    h = await startEmbeddedHarness({}, { dataDir });
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no plaintext in any store: a canary sent and read is nowhere on disk', async () => {
    const canary = `canary-${crypto.randomUUID()}`;
    const open = async (userId: string) => {
      const client = new ChatClient({ url: h.wsUrl, token: () => h.token(userId), WebSocket });
      const rooms = new EncryptedRooms(client, { keyPackages: 2 });
      const read: string[] = [];
      rooms.on('message', (message) => read.push(message.text));
      await rooms.start();
      return { client, rooms, read };
    };
    const [ann, ben] = [await open('ann'), await open('ben')];
    const joined = new Promise((resolve) => ben.rooms.on('joined', resolve));
    const { room_id } = await ann.rooms.createEncryptedRoom('vault', ['ben']);
    await joined;
    await ann.rooms.send(room_id, canary);
    await eventually(() => expect(ben.read).toEqual([canary]));
    // Every projection has had the message (search skips it; history has it as ciphertext).
    await eventually(async () => {
      const history = await h.api('ben', 'GET', `/api/rooms/${room_id}/messages`);
      expect(history.body.messages).toHaveLength(2);
    });
    ann.client.close();
    ben.client.close();

    const needle = Buffer.from(canary);
    const holding = filesUnder(dataDir).filter((file) => readFileSync(file).includes(needle));
    expect(holding).toEqual([]);
    // The scan finds what is there: the room's name, sent in clear, is on disk.
    expect(filesUnder(dataDir).some((file) => readFileSync(file).includes(Buffer.from('vault')))).toBe(true);
  });
});
