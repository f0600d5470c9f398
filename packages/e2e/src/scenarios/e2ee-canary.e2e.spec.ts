import { ChatClient } from '@chat/client';
import { EncryptedRooms } from '@chat/client/mls';
import { eventually } from '@chat/testkit';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('an end-to-end encrypted room, as stored', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('leaves no plaintext in any store: a canary sent and read is nowhere', async () => {
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
    const roomName = `vault-${crypto.randomUUID()}`;
    const { room_id } = await ann.rooms.createEncryptedRoom(roomName, ['ben']);
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

    // Every store as raw bytes: embedded, the data directory; on the fleet, topics from offset 0,
    // databases, indexes, keys, objects and data directories.
    expect(await h.findInStores(canary)).toEqual([]);
    // The scan finds what is there: the room's name, sent in clear, is kept.
    expect((await h.findInStores(roomName)).length).toBeGreaterThan(0);
  });
});
