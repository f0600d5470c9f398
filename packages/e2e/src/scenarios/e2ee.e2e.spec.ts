import { MAX_MLS_BYTES } from '@chat/contracts';
import { eventually } from '@chat/testkit';
import { framedMlsMessage, keyPackageFor } from '@chat/testkit/mls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

/**
 * The server's side of end-to-end encrypted rooms (the MLS Delivery Service): what it carries,
 * orders and refuses, with MLS messages framed as clients frame them. The SDK's own scenario runs
 * whole groups over it.
 */
scenario('end-to-end encrypted rooms (server)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const user = (name: string) => `${name}-${crypto.randomUUID().slice(0, 6)}`;
  const WELCOME = Buffer.from('welcome bytes').toString('base64');

  const encryptedRoom = async (owner: string, members: string[] = []) => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name: 'secret', members, encryption: 'mls' });
    expect(created).toMatchObject({ status: 201, body: { encryption: 'mls', private: true } });
    return created.body.room_id as string;
  };

  /** Sends a frame and waits for its ack or error. */
  const answerTo = async (
    socket: Awaited<ReturnType<Harness['connect']>>,
    frame: Record<string, unknown>,
  ) => {
    const ref = crypto.randomUUID();
    const answer = socket.next(
      (f) => (f.type === 'ack' && f.client_msg_id === ref) || (f.type === 'error' && f.ref === ref),
      10_000,
      socket.frames.length,
    );
    socket.send({ type: 'send_message', client_msg_id: ref, ...frame });
    return answer;
  };
  /** The group's first commit (epoch 0), adding `userId` with a Welcome; its bytes and the answer. */
  const commitAdding = async (
    socket: Awaited<ReturnType<Harness['connect']>>,
    roomId: string,
    userId: string,
  ) => {
    const commit = framedMlsMessage(roomId, 0, 'commit');
    const answer = await answerTo(socket, {
      room_id: roomId,
      mls: commit,
      mls_commit: { added: [userId], removed: [], welcome: WELCOME },
    });
    return { commit, answer };
  };

  it('carries MLS messages in room order with their seq, in history and on resume', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const roomId = await encryptedRoom(ann, [ben]);
    const [annSocket, benSocket] = await Promise.all([h.connect(ann), h.connect(ben)]);
    await join(annSocket, roomId);
    await join(benSocket, roomId);
    const welcomed = benSocket.nextOfType('mls_welcome', 10_000);
    const { commit, answer: committed } = await commitAdding(annSocket, roomId, ben);
    expect(committed).toMatchObject({ type: 'ack', seq: 1 });
    expect(await welcomed).toEqual({ type: 'mls_welcome', room_id: roomId, seq: 1, welcome: WELCOME });

    const application = framedMlsMessage(roomId, 1, 'application');
    const atAnn = annSocket.nextOfType('message', 10_000, (m) => m.seq === 2);
    expect(await answerTo(benSocket, { room_id: roomId, mls: application })).toMatchObject({
      type: 'ack',
      seq: 2,
    });
    expect(await atAnn).toMatchObject({
      seq: 2,
      sender_id: ben,
      message_type: 'mls',
      content: '',
      mls: application,
    });

    await eventually(async () => {
      const history = await h.api(ann, 'GET', `/api/rooms/${roomId}/messages`);
      expect(history.body.messages).toMatchObject([
        { seq: 1, message_type: 'mls', mls: commit },
        { seq: 2, message_type: 'mls', mls: application },
      ]);
    });
    const resumed = await h.connect(ann);
    await join(resumed, roomId, 1);
    await eventually(() => expect(resumed.ofType('message').map((m) => m.mls)).toEqual([application]));
    for (const socket of [annSocket, benSocket, resumed]) socket.close();
  });

  it('keeps a Welcome for its recipient until acknowledged, and joins them to the room', async () => {
    const [ann, cal] = [user('ann'), user('cal')];
    const roomId = await encryptedRoom(ann);
    const annSocket = await h.connect(ann);
    expect((await commitAdding(annSocket, roomId, cal)).answer).toMatchObject({ type: 'ack', seq: 1 });
    await eventually(async () => {
      expect((await h.api(cal, 'GET', '/api/mls/welcomes')).body).toEqual({
        welcomes: [{ room_id: roomId, seq: 1, welcome: WELCOME }],
      });
    });
    const members = await h.api(ann, 'GET', `/api/rooms/${roomId}/members`);
    expect(members.body.members.map((m: { user_id: string }) => m.user_id).sort()).toEqual([ann, cal].sort());
    expect((await h.api(cal, 'DELETE', `/api/mls/welcomes/${roomId}/1`)).status).toBe(204);
    expect((await h.api(cal, 'DELETE', `/api/mls/welcomes/${roomId}/1`)).body.code).toBe('welcome_not_found');
    await eventually(async () => {
      expect((await h.api(cal, 'GET', '/api/mls/welcomes')).body).toEqual({ welcomes: [] });
    });
    annSocket.close();
  });

  it('refuses plaintext, malformed MLS bytes and a commit for a stale epoch, with codes', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const roomId = await encryptedRoom(ann, [ben]);
    const [annSocket, benSocket] = await Promise.all([h.connect(ann), h.connect(ben)]);
    expect(await answerTo(annSocket, { room_id: roomId, content: 'in clear' })).toMatchObject({
      type: 'error',
      code: 'encryption_required',
    });
    const garbage = Buffer.from('certainly not MLS').toString('base64');
    expect(await answerTo(annSocket, { room_id: roomId, mls: garbage })).toMatchObject({
      type: 'error',
      code: 'malformed_mls',
    });
    expect(await answerTo(annSocket, { room_id: roomId, mls: 'not base64!' })).toMatchObject({
      type: 'error',
      code: 'invalid_frame',
    });
    const application = framedMlsMessage(roomId, 0, 'application');
    for (const neitherOrBoth of [{}, { content: 'hi', mls: application }]) {
      expect(await answerTo(annSocket, { room_id: roomId, ...neitherOrBoth })).toMatchObject({
        type: 'error',
        code: 'invalid_frame',
      });
    }
    // The frame limit (`websocket.max_frame_bytes`, 16 KiB by default) bounds an MLS message first.
    const tooLarge = annSocket.nextOfType('error', 10_000, (frame) => frame.code === 'frame_too_large');
    annSocket.send({
      type: 'send_message',
      room_id: roomId,
      mls: Buffer.alloc(MAX_MLS_BYTES).toString('base64'),
    });
    await tooLarge;
    expect(
      await h.api(ann, 'POST', `/api/rooms/${roomId}/messages`, { content: 'in clear over REST' }),
    ).toMatchObject({ status: 400, body: { code: 'encryption_required' } });

    // Both commit in epoch 0 at once: the first in seq wins, the other is told to re-sync.
    const noChange = { added: [], removed: [] };
    const answers = await Promise.all([
      answerTo(annSocket, {
        room_id: roomId,
        mls: framedMlsMessage(roomId, 0, 'commit'),
        mls_commit: noChange,
      }),
      answerTo(benSocket, {
        room_id: roomId,
        mls: framedMlsMessage(roomId, 0, 'commit'),
        mls_commit: noChange,
      }),
    ]);
    expect(answers.map((answer) => (answer.type === 'error' ? answer.code : answer.type)).sort()).toEqual([
      'ack',
      'stale_epoch',
    ]);
    expect(
      await answerTo(benSocket, {
        room_id: roomId,
        mls: framedMlsMessage(roomId, 1, 'commit'),
        mls_commit: noChange,
      }),
    ).toMatchObject({ type: 'ack', seq: 2 });

    const plain = await h.api(ann, 'POST', '/api/rooms', { name: 'plain' });
    expect(
      await answerTo(annSocket, {
        room_id: plain.body.room_id,
        mls: framedMlsMessage(plain.body.room_id, 0, 'application'),
      }),
    ).toMatchObject({ type: 'error', code: 'encryption_required' });
    annSocket.close();
    benSocket.close();
  });

  it('keeps a directory of KeyPackages: each claimed once per device, the last resort reused', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const [phone1, phone2, laptop1, lastResort] = await Promise.all(
      [1, 2, 3, 4].map(() => keyPackageFor(ben)),
    );
    expect(
      await h.api(ben, 'POST', '/api/mls/key-packages', {
        device_id: 'phone',
        key_packages: [phone1, phone2],
        last_resort: lastResort,
      }),
    ).toMatchObject({
      status: 200,
      body: { devices: [{ device_id: 'phone', available: 2, last_resort: true }] },
    });
    await h.api(ben, 'POST', '/api/mls/key-packages', { device_id: 'laptop', key_packages: [laptop1] });
    expect((await h.api(ben, 'GET', '/api/mls/key-packages')).body.devices).toEqual([
      { device_id: 'laptop', available: 1, last_resort: false },
      { device_id: 'phone', available: 2, last_resort: true },
    ]);

    const claim = async () =>
      (
        (await h.api(ann, 'GET', `/api/mls/key-packages/${ben}`)).body.key_packages as {
          key_package: string;
        }[]
      ).map((each) => each.key_package);
    expect(await claim()).toEqual([laptop1, phone1]);
    expect(await claim()).toEqual([phone2]);
    expect(await claim()).toEqual([lastResort]);
    expect(await claim()).toEqual([lastResort]);

    const mismatch = await h.api(ann, 'POST', '/api/mls/key-packages', {
      key_packages: [await keyPackageFor(ben)],
    });
    expect(mismatch).toMatchObject({ status: 422, body: { code: 'credential_mismatch' } });
    const malformed = await h.api(ann, 'POST', '/api/mls/key-packages', {
      key_packages: [Buffer.from('no').toString('base64')],
    });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'malformed_mls' } });
    expect((await h.api(ann, 'GET', '/api/mls/key-packages')).body.devices).toEqual([]);
  });

  it('opens an encrypted direct room whose first commit adds the other member', async () => {
    const [ann, ben] = [user('ann'), user('ben')];
    const opened = await h.api(ann, 'POST', '/api/dms', { user_id: ben, encryption: 'mls' });
    expect(opened).toMatchObject({ status: 201, body: { kind: 'direct', encryption: 'mls' } });
    const roomId = opened.body.room_id as string;
    expect((await h.api(ben, 'POST', '/api/dms', { user_id: ann })).body).toMatchObject({
      room_id: roomId,
      encryption: 'mls',
    });
    const annSocket = await h.connect(ann);
    expect((await commitAdding(annSocket, roomId, ben)).answer).toMatchObject({ type: 'ack' });
    annSocket.close();
  });
});
