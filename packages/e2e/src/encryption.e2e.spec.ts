import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath, relative } from 'node:path';
import { startEmbedded } from '@chat/embedded';
import { createLogger } from '@chat/runtime';
import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import { join, sendAndAck, TEST_SECRET, type Harness } from './harness';
import { browserKeys, decryptPush, PushEndpoint } from './push-endpoint';

/** Every file under `directory`, as bytes, by path relative to it. */
const filesUnder = (directory: string): Map<string, Buffer> =>
  new Map(
    readdirSync(directory, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = joinPath(entry.parentPath, entry.name);
        return [relative(directory, path), readFileSync(path)];
      }),
  );

/** The files whose bytes hold `text` (UTF-8). */
const filesHolding = (files: Map<string, Buffer>, text: string): string[] =>
  [...files].filter(([, bytes]) => bytes.includes(Buffer.from(text))).map(([path]) => path);

describe('encryption at rest, embedded', () => {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-encryption-'));
  const key = randomBytes(32).toString('base64');
  const sent = `canary-${crypto.randomUUID()}`;
  const edited = `edited-${crypto.randomUUID()}`;
  let h: Harness;
  let push: PushEndpoint;
  let roomId: string;
  let messageId: string;
  // The test's push service is on loopback, where pushes go only when an operator allows it.
  const env = { ENCRYPTION_KEY: key, CHAT_NOTIFICATION__ALLOWED_HOSTS: '127.0.0.1' };

  beforeAll(async () => {
    push = await PushEndpoint.start();
    h = await startEmbeddedHarness(env, { dataDir });
  });
  afterAll(async () => {
    await h?.stop();
    await push?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers live, answers history, resume, search and pushes in clear text', async () => {
    const created = await h.api('ann', 'POST', '/api/rooms', { name: 'sealed', members: ['ben', 'cy'] });
    roomId = created.body.room_id as string;
    // Cy is away, with a push subscription: the notification service keeps a delivery for her.
    const endpoint = push.url();
    const browser = browserKeys();
    const subscribed = await h.api('cy', 'POST', '/api/notifications/subscriptions', {
      endpoint,
      keys: browser.keys,
    });
    expect(subscribed.status).toBe(201);
    const ann = await h.connect('ann');
    const ben = await h.connect('ben');
    await join(ann, roomId);
    await join(ben, roomId);

    const live = ben.nextOfType('message', 10_000, (frame) => frame.room_id === roomId);
    const ack = await sendAndAck(ann, roomId, `hello ${sent}`);
    messageId = ack.message_id as string;
    expect(await live).toMatchObject({ message_id: messageId, content: `hello ${sent}` });
    await eventually(() => expect(push.to(endpoint)).toHaveLength(1));
    expect(decryptPush(push.to(endpoint)[0]!.body, browser)).toMatchObject({ preview: `hello ${sent}` });

    const liveEdit = ben.nextOfType('message_edited', 10_000);
    const patched = await h.api('ann', 'PATCH', `/api/rooms/${roomId}/messages/${messageId}`, {
      content: `now ${edited}`,
    });
    expect(patched.body).toMatchObject({ content: `now ${edited}` });
    expect(await liveEdit).toMatchObject({ message_id: messageId, content: `now ${edited}` });
    ben.close();

    const history = await h.api('ben', 'GET', `/api/rooms/${roomId}/messages`);
    expect(history.body.messages).toEqual([
      expect.objectContaining({ message_id: messageId, content: `now ${edited}` }),
    ]);

    // A client that saw nothing resumes from seq 0: the page travels sealed, the gateway opens it.
    const again = await h.connect('ben');
    const resumed = again.nextOfType('message', 10_000, (frame) => frame.room_id === roomId);
    await join(again, roomId, 0);
    expect(await resumed).toMatchObject({ message_id: messageId, content: `now ${edited}` });
    again.close();
    ann.close();

    await eventually(async () => {
      const found = await h.api('ben', 'GET', `/api/search/messages?${new URLSearchParams({ q: edited })}`);
      expect(found.body.hits).toEqual([expect.objectContaining({ message_id: messageId })]);
    });
  });

  it('keeps the event stores, the bus and the read models free of what users wrote: only the search index holds it', async () => {
    await h.stop();
    const files = filesUnder(dataDir);
    // Stopped, every SQLite file was checkpointed into its main file; both stores hold something.
    expect(files.get(joinPath('message', 'events.db'))?.length).toBeGreaterThan(0);
    expect(files.get('bus.db')?.length).toBeGreaterThan(0);
    expect(files.get(joinPath('notification', 'events.db'))?.length).toBeGreaterThan(0);
    for (const canary of [sent, edited]) {
      expect(filesHolding(files, canary).filter((path) => !path.startsWith(`search${'/'}`))).toEqual([]);
    }
    // The index must match words, so it holds them in clear (docs/privacy.md): erasure and retention purge it.
    expect(filesHolding(files, edited)).toEqual([joinPath('search', 'index.db')]);
  });

  it('reads everything again after a restart with the same key, and refuses another key by name', async () => {
    await expect(
      startEmbedded({
        dataDir,
        port: 0,
        env: { ...process.env, JWT_SECRET_KEY: TEST_SECRET, ENCRYPTION_KEY: randomBytes(32).toString('hex') },
        logger: createLogger('encryption-spec', 'silent'),
      }),
    ).rejects.toMatchObject({
      code: 'wrong_encryption_key',
      message: expect.stringMatching(/ENCRYPTION_KEY is not the key/),
    });
    h = await startEmbeddedHarness(env, { dataDir });
    const history = await h.api('ann', 'GET', `/api/rooms/${roomId}/messages`);
    expect(history.body.messages).toEqual([expect.objectContaining({ content: `now ${edited}` })]);
  });

  it('refuses a malformed ENCRYPTION_KEY at start, saying what it must be', async () => {
    await expect(
      startEmbedded({
        dataDir: joinPath(dataDir, 'other'),
        port: 0,
        env: { ...process.env, JWT_SECRET_KEY: TEST_SECRET, ENCRYPTION_KEY: 'hunter2' },
        logger: createLogger('encryption-spec', 'silent'),
      }),
    ).rejects.toMatchObject({
      code: 'invalid_encryption_key',
      message: expect.stringMatching(/32 random bytes/),
    });
  });
});

describe('the embedded run without ENCRYPTION_KEY', () => {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-generated-key-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates a key under DATA_DIR, and reads with it again at the next start', async () => {
    const { ENCRYPTION_KEY: _none, ...env } = process.env;
    let h = await startEmbeddedHarness(env as Record<string, string>, { dataDir });
    const ann = await h.connect('ann');
    await join(ann, 'general');
    await sendAndAck(ann, 'general', 'kept across starts');
    ann.close();
    await h.stop();
    expect(readFileSync(joinPath(dataDir, 'privacy', 'encryption.key'), 'utf8').trim()).toMatch(
      /^[A-Za-z0-9+/]{43}=$/,
    );
    h = await startEmbeddedHarness(env as Record<string, string>, { dataDir });
    try {
      const history = await h.api('ann', 'GET', '/api/rooms/general/messages');
      expect(history.body.messages.map((message: { content: string }) => message.content)).toContain(
        'kept across starts',
      );
    } finally {
      await h.stop();
    }
  });
});
