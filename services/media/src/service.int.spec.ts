import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bus } from '@chat/bus';
import { EmbeddedBus } from '@chat/bus/embedded';
import { Topics, type EventRecord, type RoomAccess } from '@chat/contracts';
import { SqliteCheckpointStore } from '@chat/event-sourcing/sqlite';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { ContentCipher, kekOf } from '@chat/privacy';
import { SqliteKeyStore } from '@chat/privacy/sqlite';
import {
  createAuthenticator,
  createHttpApp,
  createLogger,
  loadSettings,
  signToken,
  type HttpApp,
} from '@chat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoomAccessView } from '@chat/room-access';
import { SqliteRoomAccessStore } from '@chat/room-access/sqlite';
import { registerLocalBlobRoutes } from './blobs/local-blob-routes';
import { LocalBlobStore } from './blobs/local-blob-store';
import { UrlSigner } from './blobs/url-signer';
import { SqliteMediaReadModel } from './read-model/sqlite-read-model';
import { createMediaService, type MediaService } from './service';

const SECRET = 'media-int-secret-0123456789abcdef';
const ROOM = 'room-files';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const elfOfSize = (size: number) =>
  Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(size - 8, 1)]);

/** A room's whole access state, as the message service publishes it on `room.access`. */
const accessRecord = (roomId: string, revision: number, members: string[], isPrivate = true): RoomAccess => ({
  room_id: roomId,
  kind: 'group',
  private: isPrivate,
  deleted: false,
  owner_id: members[0]!,
  members: members.map((user_id, index) => ({
    user_id,
    role: index === 0 ? 'owner' : 'member',
    joined_at: '2024-05-01T10:00:00.000Z',
    joined_after_seq: 0,
  })),
  revision,
});

/**
 * The bus as a slow broker would serve a client: publishing to `slow.publishing` takes `delayMs`,
 * and so does every batch it delivers when `slow.delivering`.
 */
const slowBus = (bus: Bus, delayMs: number, slow: { publishing?: string; delivering?: boolean }): Bus => ({
  ensureTopics: (topics) => bus.ensureTopics(topics),
  publish: async (topic, records) => {
    if (topic === slow.publishing) await sleep(delayMs);
    return bus.publish(topic, records);
  },
  consume: (options) =>
    bus.consume({
      ...options,
      handleBatch: async (batch) => {
        if (slow.delivering) await sleep(delayMs);
        return options.handleBatch(batch);
      },
    }),
  endOffsets: (topic) => bus.endOffsets(topic),
  stalls: (thresholdMs) => bus.stalls(thresholdMs),
  close: () => bus.close(),
});

/**
 * What clients cannot see: the objects behind the signed URLs, the room access view a request is
 * decided on, and the relay a completion waits for.
 */
describe('media service on its embedded adapters', () => {
  let directory: string;
  let http: HttpApp;
  let blobs: LocalBlobStore;
  let keys: SqliteKeyStore;
  let service: MediaService;
  let bus: EmbeddedBus;
  let close: () => Promise<void>;

  /** What the message service's relay does: the rooms' access states, on the compacted topic. */
  const publishAccess = (...records: RoomAccess[]) =>
    bus.publish(
      Topics.roomAccess,
      records.map((record) => ({ key: record.room_id, value: JSON.stringify(record) })),
    );

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'media-'));
    const logger = createLogger('media', 'silent');
    const settings = loadSettings({});
    bus = EmbeddedBus.open(join(directory, 'bus.db'));
    const store = SqliteEventStore.open(join(directory, 'events.db'));
    const readModel = SqliteMediaReadModel.open(join(directory, 'read-model.db'));
    const checkpoints = SqliteCheckpointStore.open(join(directory, 'checkpoints.db'));
    blobs = LocalBlobStore.open(join(directory, 'blobs'));
    keys = SqliteKeyStore.open(join(directory, 'keys.db'));
    const cipher = await ContentCipher.start(keys, kekOf(randomBytes(32)), {
      keyPeriodMs: 86_400_000,
      cacheSize: 100,
      // Uncached: a destroyed key is seen at once.
      cacheTtlMs: 0,
    });
    http = await createHttpApp({
      title: 'media',
      logger,
      authenticator: createAuthenticator({ secret: SECRET }),
    });
    const accessStore = SqliteRoomAccessStore.open(':memory:');
    const access = await startRoomAccessView({
      // The view reads each change a while after it was published.
      bus: slowBus(bus, 300, { delivering: true }),
      store: accessStore,
      reader: 'media-test',
      logger,
    });
    await publishAccess(accessRecord(ROOM, 0, ['alice']));
    service = createMediaService({
      access,
      store,
      // The relay's verdicts reach the bus well after they were decided.
      bus: slowBus(bus, 300, { publishing: Topics.mediaEvents }),
      readModel,
      checkpoints,
      blobs,
      keys: cipher,
      urls: new UrlSigner(randomBytes(32)),
      settings,
      logger,
    });
    service.registerRoutes(http);
    registerLocalBlobRoutes(http, blobs);
    await service.start();
    close = async () => {
      await service.stop();
      await http.close();
      await access.stop();
      await accessStore.close();
      await bus.close();
      await store.close();
      await readModel.close();
      checkpoints.close();
      await keys.close();
    };
  });
  afterAll(async () => {
    await close();
    rmSync(directory, { recursive: true, force: true });
  });

  type Caller = { userId: string; admin?: boolean };
  const alice: Caller = { userId: 'alice' };
  const api = async (method: 'GET' | 'POST', url: string, payload?: object, caller = alice) => {
    const authorization = `Bearer ${await signToken(SECRET, caller)}`;
    const response = await http.inject({
      method,
      url,
      headers: { authorization },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const requestUpload = (
    caller: Caller,
    roomId: string,
    file = { name: 'photo.png', type: 'image/png', size: PNG.length },
  ) =>
    api(
      'POST',
      '/api/media/uploads',
      { room_id: roomId, file_name: file.name, content_type: file.type, size: file.size },
      caller,
    );
  const upload = async (fileName: string, contentType: string, bytes: Buffer) => {
    const ticket = await requestUpload(alice, ROOM, {
      name: fileName,
      type: contentType,
      size: bytes.length,
    });
    expect(ticket.status).toBe(201);
    const put = await http.inject({ method: 'PUT', url: ticket.body.upload_url, payload: bytes });
    expect(put.statusCode).toBe(200);
    return ticket.body as { file_id: string; upload_url: string; file_url: string };
  };

  it('deletes the object of a rejected upload', async () => {
    const ticket = await upload('cat.png', 'image/png', elfOfSize(200));
    expect((await api('POST', `/api/media/${ticket.file_id}/complete`)).body.code).toBe(
      'file_type_not_allowed',
    );
    expect(await blobs.inspect(`files/${ticket.file_id}`, 1)).toBeNull();
    expect(await blobs.inspect(`uploads/${ticket.file_id}`, 1)).toBeNull();
  });

  it('serves what it verified, even when the upload URL is used again afterwards', async () => {
    const ticket = await upload('photo.png', 'image/png', PNG);
    expect((await api('POST', `/api/media/${ticket.file_id}/complete`)).status).toBe(200);
    const swap = await http.inject({ method: 'PUT', url: ticket.upload_url, payload: elfOfSize(PNG.length) });
    expect(swap.statusCode).toBe(200);
    expect((await api('POST', `/api/media/${ticket.file_id}/complete`)).status).toBe(200);
    const link = await api('GET', ticket.file_url);
    const download = await http.inject({ method: 'GET', url: link.body.download_url });
    expect(download.rawPayload).toEqual(PNG);
  });

  it('keeps only the sealed object of a verified file, and serves it opened through a signed link', async () => {
    const secret = randomBytes(8).toString('hex');
    const canary = Buffer.from(`plain text canary ${secret}\n`.repeat(5_000));
    const ticket = await upload(`notes-${secret}.txt`, 'text/plain', canary);
    const completed = await api('POST', `/api/media/${ticket.file_id}/complete`);
    expect(completed.body).toMatchObject({ file_name: `notes-${secret}.txt` });
    const stored = readdirSync(directory, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    expect(stored.some((path) => path.endsWith(join('files', ticket.file_id)))).toBe(true);
    expect(stored.some((path) => path.includes(join('received', ticket.file_id)))).toBe(false);
    // Neither the bytes nor the name in clear: not in blobs, the event store, the bus or the read model.
    for (const path of stored) expect(readFileSync(path).includes(Buffer.from(secret))).toBe(false);

    const link = await api('GET', ticket.file_url);
    const download = await http.inject({ method: 'GET', url: link.body.download_url });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-length']).toBe(String(canary.length));
    expect(download.headers['content-disposition']).toContain(`notes-${secret}.txt`);
    expect(download.rawPayload).toEqual(canary);

    const forged = link.body.download_url.replace(
      ticket.file_id,
      (await upload('x.png', 'image/png', PNG)).file_id,
    );
    expect((await http.inject({ method: 'GET', url: forged })).json()).toMatchObject({ code: 'forbidden' });
    const unsigned = link.body.download_url.replace(/signature=[^&]+/, 'signature=AAAA');
    expect((await http.inject({ method: 'GET', url: unsigned })).statusCode).toBe(403);
  });

  it("serves nothing of a file once its uploader's keys are destroyed", async () => {
    const ticket = await upload('photo.png', 'image/png', PNG);
    expect((await api('POST', `/api/media/${ticket.file_id}/complete`)).status).toBe(200);
    const link = await api('GET', ticket.file_url);
    expect(await keys.destroyByUser('alice')).toBeGreaterThan(0);
    const download = await http.inject({ method: 'GET', url: link.body.download_url });
    expect(download.json()).toMatchObject({ code: 'file_not_found' });
  });

  it('lets in a member added a moment ago, without waiting, and refuses outsiders as the rule says', async () => {
    await publishAccess(
      accessRecord('room-new', 1, ['carol', 'dave']),
      accessRecord('room-open', 1, ['carol'], false),
    );
    expect((await requestUpload({ userId: 'dave' }, 'room-new')).status).toBe(201);
    expect(await requestUpload({ userId: 'mallory' }, 'room-new')).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
    expect(await requestUpload({ userId: 'dave' }, 'room-nowhere')).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
    expect(await requestUpload({ userId: 'mallory' }, 'room-open')).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });
    // Administrators see every room but are members only of those they joined.
    expect(await requestUpload({ userId: 'root', admin: true }, 'room-new')).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });

    const ticket = await upload('photo.png', 'image/png', PNG);
    expect((await api('POST', `/api/media/${ticket.file_id}/complete`)).status).toBe(200);
    await publishAccess(accessRecord(ROOM, 1, ['alice', 'erin']));
    expect((await api('GET', ticket.file_url, undefined, { userId: 'erin' })).status).toBe(200);
    expect((await api('GET', ticket.file_url, undefined, { userId: 'mallory' })).body.code).toBe(
      'room_not_found',
    );
  });

  it('answers a completion once the relay published the verdict, for a share right after to find it', async () => {
    const ticket = await upload('photo.png', 'image/png', PNG);
    const seen: EventRecord[] = [];
    const reader = await bus.consume({
      groupId: `verdicts-${ticket.file_id}`,
      topics: [Topics.mediaEvents],
      startFrom: 'earliest',
      handleBatch: async ({ records }) =>
        void seen.push(...records.map((record) => JSON.parse(record.value) as EventRecord)),
    });
    expect((await api('POST', `/api/media/${ticket.file_id}/complete`)).status).toBe(200);
    // Whatever was published before the answer, the reader has read once it caught up.
    expect(await reader.caughtUp(5_000)).toBe(true);
    await reader.stop();
    expect(seen).toContainEqual(
      expect.objectContaining({
        type: 'FileVerified',
        data: expect.objectContaining({ file_id: ticket.file_id }),
      }),
    );
  });
});
