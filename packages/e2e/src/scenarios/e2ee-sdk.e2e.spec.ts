import type { ChatError } from '@chat/client';
import { ChatClient } from '@chat/client';
import { EncryptedRooms, MemoryKeyStore, type DecryptedMessage } from '@chat/client/mls';
import { eventually } from '@chat/testkit';
import { readWithSavedState } from '@chat/testkit/mls';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Harness } from '../harness';
import { scenario, startHarness } from '../target';

/** Commits, Welcomes, reconnects and resumes take seconds on a loaded fleet. */
const settles = <T>(check: () => Promise<T> | T) => eventually(check, 15_000);

/** A user's encrypted-room client, and every text it decrypted. */
interface Member {
  userId: string;
  client: ChatClient;
  rooms: EncryptedRooms;
  store: MemoryKeyStore;
  read: DecryptedMessage[];
  errors: ChatError[];
}

scenario('end-to-end encrypted rooms (SDK)', () => {
  let h: Harness;
  let members: Member[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => {
    for (const { client, rooms } of members) {
      rooms.close();
      client.close();
    }
    members = [];
  });
  afterAll(() => h.stop());

  const member = async (name: string, keyPackages = 3): Promise<Member> => {
    const userId = `${name}-${crypto.randomUUID().slice(0, 6)}`;
    const client = new ChatClient({ url: h.wsUrl, token: () => h.token(userId), WebSocket });
    const store = new MemoryKeyStore();
    const rooms = new EncryptedRooms(client, { store, keyPackages });
    const each: Member = { userId, client, rooms, store, read: [], errors: [] };
    rooms.on('message', (message) => each.read.push(message));
    rooms.on('error', (error) => each.errors.push(error));
    members.push(each);
    await rooms.start();
    return each;
  };
  const textsIn = (who: Member, roomId: string) =>
    who.read.filter((message) => message.room_id === roomId).map((message) => message.text);
  const joined = (who: Member, roomId: string) =>
    new Promise<void>((resolve) => {
      if (who.rooms.epochOf(roomId) !== undefined) return resolve();
      const stop = who.rooms.on('joined', ({ room_id }) => {
        if (room_id !== roomId) return;
        stop();
        resolve();
      });
    });

  it('lets two create and chat, a third added later read only what follows, a removed one nothing more', async () => {
    const [ann, ben, cal] = [await member('ann'), await member('ben'), await member('cal')];
    const { room_id: roomId } = await ann.rooms.createEncryptedRoom('secret', [ben.userId]);
    await joined(ben, roomId);
    await ann.rooms.send(roomId, 'hello ben');
    await ben.rooms.send(roomId, 'hello ann');
    await settles(() => {
      expect(textsIn(ann, roomId)).toEqual(['hello ben', 'hello ann']);
      expect(textsIn(ben, roomId)).toEqual(['hello ben', 'hello ann']);
    });

    await ann.rooms.addMember(roomId, cal.userId);
    await joined(cal, roomId);
    const welcomeCal = await ben.rooms.send(roomId, 'welcome cal');
    await settles(() => {
      expect(textsIn(cal, roomId)).toEqual(['welcome cal']);
      expect(textsIn(ben, roomId)).toEqual(['hello ben', 'hello ann', 'welcome cal']);
      expect(textsIn(ann, roomId)).toEqual(['hello ben', 'hello ann', 'welcome cal']);
    });

    // What ben holds just before his removal: everything a compromise of his device would give.
    const benState = (await ben.store.get(`group/${roomId}`))!;
    const calState = (await cal.store.get(`group/${roomId}`))!;
    const removed = new Promise((resolve) => ben.rooms.on('removed', resolve));
    await ann.rooms.removeMember(roomId, ben.userId);
    await removed;
    const gone = await cal.rooms.send(roomId, 'ben is gone');
    await settles(() => expect(textsIn(ann, roomId)).toContain('ben is gone'));
    await settles(() => expect(textsIn(cal, roomId)).toContain('ben is gone'));
    expect(textsIn(ben, roomId)).toEqual(['hello ben', 'hello ann', 'welcome cal']);
    // Not only does the server withhold it: the bytes are no use to ben, who keeps no group state.
    expect(ben.rooms.epochOf(roomId)).toBeUndefined();
    expect(await ben.store.keys(`group/${roomId}`)).toEqual([]);
    // History is a projection: in the fleet it may lag the live delivery a little.
    const history = await settles(async () => {
      const page = await h.api(ann.userId, 'GET', `/api/rooms/${roomId}/messages`);
      expect(page.body.messages.at(-1)?.seq).toBe(gone.seq);
      return page;
    });
    // Ben's saved state processes the commit that removes him, and reads nothing after it.
    const sinceRemoval = (history.body.messages as { seq: number; mls: string }[])
      .filter((message) => message.seq > welcomeCal.seq)
      .map((message) => message.mls);
    expect(await readWithSavedState(calState, sinceRemoval)).toEqual({ texts: ['ben is gone'] });
    const withBensKeys = await readWithSavedState(benState, sinceRemoval);
    expect(withBensKeys.texts).toEqual([]);
    expect(withBensKeys.error).toBeDefined();
    expect(history.body.messages.every((message: { content: string }) => message.content === '')).toBe(true);
    expect(JSON.stringify(history.body)).not.toContain('ben is gone');
    expect(ann.errors.concat(ben.errors, cal.errors)).toEqual([]);
  });

  it('resolves concurrent commits through stale_epoch without a fork', async () => {
    const [ann, ben, cal, dee] = [
      await member('ann'),
      await member('ben'),
      await member('cal'),
      await member('dee'),
    ];
    const { room_id: roomId } = await ann.rooms.createEncryptedRoom('busy', [ben.userId]);
    await joined(ben, roomId);
    // The first commit is made, then held back while a second is made in the same epoch and
    // lands; released, the first meets stale_epoch, and its maker re-syncs and commits again.
    const refusals: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let sends = 0;
    const sendMls = ann.client.sendMls.bind(ann.client);
    ann.client.sendMls = async (...args) => {
      if (++sends === 1) await held;
      return sendMls(...args).catch((error: ChatError) => {
        refusals.push(error.code);
        throw error;
      });
    };
    const addCal = ann.rooms.addMember(roomId, cal.userId);
    await settles(() => expect(sends).toBe(1));
    await ann.rooms.addMember(roomId, dee.userId);
    release();
    await addCal;
    expect(refusals).toEqual(['stale_epoch']);
    await Promise.all([joined(cal, roomId), joined(dee, roomId)]);
    await settles(() => {
      const epochs = [ann, ben, cal, dee].map((each) => each.rooms.epochOf(roomId));
      expect(epochs).toEqual(Array(4).fill(3n));
    });
    await ben.rooms.send(roomId, 'one group');
    await settles(() => {
      for (const each of [ann, cal, dee]) expect(textsIn(each, roomId)).toEqual(['one group']);
    });
  });

  it('resumes a room after a reconnect and decrypts what it missed', async () => {
    const [ann, ben] = [await member('ann'), await member('ben')];
    const room = await ann.rooms.openEncryptedDirect(ben.userId);
    await joined(ben, room.room_id);
    ben.client.close();
    await ann.rooms.send(room.room_id, 'while you were away');
    const back = new ChatClient({ url: h.wsUrl, token: () => h.token(ben.userId), WebSocket });
    const reopened = new EncryptedRooms(back, { store: ben.store });
    const read: string[] = [];
    reopened.on('message', (message) => read.push(message.text));
    members.push({ ...ben, client: back, rooms: reopened });
    await reopened.start();
    await settles(() => expect(read).toEqual(['while you were away']));
  });

  it('opens one direct room and one group when both members open it at once', async () => {
    const [ann, ben] = [await member('ann'), await member('ben')];
    const [atAnn, atBen] = await Promise.all([
      ann.rooms.openEncryptedDirect(ben.userId),
      ben.rooms.openEncryptedDirect(ann.userId),
    ]);
    expect(atAnn.room_id).toBe(atBen.room_id);
    await Promise.all([joined(ann, atAnn.room_id), joined(ben, atAnn.room_id)]);
    await ann.rooms.send(atAnn.room_id, 'one of us won');
    await ben.rooms.send(atAnn.room_id, 'and we agree');
    await settles(() => {
      for (const each of [ann, ben])
        expect(textsIn(each, atAnn.room_id)).toEqual(['one of us won', 'and we agree']);
    });
  });

  it('adds a device with only its last-resort KeyPackage left to one group after another', async () => {
    const [ann, ben] = [await member('ann'), await member('ben', 0)];
    const first = await ann.rooms.createEncryptedRoom('first', [ben.userId]);
    const second = await ann.rooms.createEncryptedRoom('second', [ben.userId]);
    await Promise.all([joined(ben, first.room_id), joined(ben, second.room_id)]);
    await ann.rooms.send(second.room_id, 'the same key, again');
    await settles(() => expect(textsIn(ben, second.room_id)).toEqual(['the same key, again']));
  });

  it('refuses plaintext into an encrypted room', async () => {
    const ann = await member('ann');
    const { room_id: roomId } = await ann.rooms.createEncryptedRoom('quiet');
    await expect(ann.client.send(roomId, 'in clear')).rejects.toMatchObject({ code: 'encryption_required' });
  });
});
