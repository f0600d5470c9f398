import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '@chat/bus/embedded';
import { SqliteCheckpointStore } from '@chat/event-sourcing/sqlite';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
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

/** What clients cannot see: the objects behind the signed URLs. */
describe('media service and its blob store', () => {
  let directory: string;
  let http: HttpApp;
  let blobs: LocalBlobStore;
  let service: MediaService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'media-'));
    const logger = createLogger('media', 'silent');
    const settings = loadSettings({});
    const bus = EmbeddedBus.open(join(directory, 'bus.db'));
    const store = SqliteEventStore.open(join(directory, 'events.db'));
    const readModel = SqliteMediaReadModel.open(join(directory, 'read-model.db'));
    const checkpoints = SqliteCheckpointStore.open(join(directory, 'checkpoints.db'));
    blobs = LocalBlobStore.open(join(directory, 'blobs'));
    // The membership the message service's events would have told.
    await readModel.apply({ stream: `room-${ROOM}`, revision: 0 }, [
      { kind: 'room_created', room_id: ROOM, private: true },
      { kind: 'member_added', room_id: ROOM, user_id: 'alice' },
    ]);
    http = await createHttpApp({
      title: 'media',
      logger,
      authenticator: createAuthenticator({ secret: SECRET }),
    });
    const access = await startRoomAccessView({
      bus,
      store: SqliteRoomAccessStore.open(':memory:'),
      reader: 'media-test',
      logger,
    });
    service = createMediaService({ access, store, bus, readModel, checkpoints, blobs, settings, logger });
    service.registerRoutes(http);
    registerLocalBlobRoutes(http, blobs, settings.messages.max_file_size);
    await service.start();
    close = async () => {
      await service.stop();
      await http.close();
      await bus.close();
      await store.close();
      await readModel.close();
      checkpoints.close();
    };
  });
  afterAll(async () => {
    await close();
    rmSync(directory, { recursive: true, force: true });
  });

  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const authorization = `Bearer ${await signToken(SECRET, { userId: 'alice' })}`;
    const response = await http.inject({
      method,
      url,
      headers: { authorization },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const upload = async (fileName: string, contentType: string, bytes: Buffer) => {
    const ticket = await api('POST', '/api/media/uploads', {
      room_id: ROOM,
      file_name: fileName,
      content_type: contentType,
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
});
