import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, type TestSocket } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** The start of an ELF executable: what a disguised `.png` really is. */
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 1)]);

interface LocalFile {
  name: string;
  type: string;
  bytes: Buffer;
}
const photo: LocalFile = { name: 'photo.png', type: 'image/png', bytes: PNG };

scenario('file sharing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const createRoom = async (owner: string, members: string[], isPrivate = true) => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name: 'files', private: isPrivate, members });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };
  const requestUpload = (user: string, roomId: string, file: LocalFile, size = file.bytes.length) =>
    h.api(user, 'POST', '/api/media/uploads', {
      room_id: roomId,
      file_name: file.name,
      content_type: file.type,
      size,
    });
  const put = (uploadUrl: string, bytes: Buffer) =>
    fetch(h.resolve(uploadUrl), { method: 'PUT', body: bytes });
  const complete = (user: string, fileId: string) => h.api(user, 'POST', `/api/media/${fileId}/complete`);
  /** Requests an upload and PUTs the bytes; returns the ticket. */
  const upload = async (user: string, roomId: string, file: LocalFile) => {
    const ticket = await requestUpload(user, roomId, file);
    expect(ticket.status).toBe(201);
    expect((await put(ticket.body.upload_url, file.bytes)).ok).toBe(true);
    return ticket.body as { file_id: string; file_url: string; upload_url: string };
  };
  const share = (socket: TestSocket, roomId: string, file: LocalFile, fileUrl: string, clientMsgId: string) =>
    socket.send({
      type: 'share_file',
      room_id: roomId,
      file_url: fileUrl,
      file_name: file.name,
      file_size: file.bytes.length,
      client_msg_id: clientMsgId,
    });

  it('uploads, verifies and shares a file; a member receives it and downloads the same bytes', async () => {
    const roomId = await createRoom('alice', ['bob']);
    const ticket = await upload('alice', roomId, photo);
    expect(ticket.file_url).toBe(`/api/media/${ticket.file_id}`);
    const verified = await complete('alice', ticket.file_id);
    expect(verified).toMatchObject({
      status: 200,
      body: { file_id: ticket.file_id, room_id: roomId, content_type: 'image/png', size: PNG.length },
    });

    const [alice, bob] = await Promise.all([h.connect('alice'), h.connect('bob')]);
    await join(alice, roomId);
    await join(bob, roomId);
    const atBob = bob.nextOfType('message', 10_000, (m) => m.message_type === 'file');
    const ack = alice.nextOfType('ack', 10_000, (a) => a.client_msg_id === 'share-1');
    share(alice, roomId, photo, ticket.file_url, 'share-1');
    const file = {
      file_id: ticket.file_id,
      file_name: 'photo.png',
      file_size: PNG.length,
      content_type: 'image/png',
      file_url: ticket.file_url,
    };
    expect(await atBob).toMatchObject({
      room_id: roomId,
      seq: (await ack).seq,
      sender_id: 'alice',
      content: 'photo.png',
      message_type: 'file',
      file,
    });
    await eventually(async () => {
      const history = await h.api('bob', 'GET', `/api/rooms/${roomId}/messages`);
      expect(history.body.messages).toEqual([expect.objectContaining({ message_type: 'file', file })]);
    });

    const link = await h.api('bob', 'GET', ticket.file_url);
    expect(link).toMatchObject({
      status: 200,
      body: { file_name: 'photo.png', content_type: 'image/png', size: PNG.length },
    });
    const download = await fetch(h.resolve(link.body.download_url));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    alice.close();
    bob.close();
  });

  it('shares an upload that was not completed: share_file verifies it, and answers a refusal at once', async () => {
    const roomId = await createRoom('olga', ['pete']);
    const ticket = await upload('olga', roomId, photo);
    const [olga, pete] = await Promise.all([h.connect('olga'), h.connect('pete')]);
    await join(olga, roomId);
    await join(pete, roomId);
    const atPete = pete.nextOfType('message', 10_000, (m) => m.message_type === 'file');
    const ack = olga.nextOfType('ack', 10_000, (a) => a.client_msg_id === 'direct-1');
    share(olga, roomId, photo, ticket.file_url, 'direct-1');
    expect(await atPete).toMatchObject({ seq: (await ack).seq, file: { file_id: ticket.file_id } });
    expect((await complete('olga', ticket.file_id)).status).toBe(200);

    const disguised = { name: 'cat.png', type: 'image/png', bytes: ELF };
    const bad = await upload('olga', roomId, disguised);
    const startedAt = Date.now();
    share(olga, roomId, disguised, bad.file_url, 'direct-2');
    expect(await olga.nextOfType('error', 10_000)).toMatchObject({
      code: 'file_type_not_allowed',
      ref: 'direct-2',
    });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    olga.close();
    pete.close();
  });

  it('keeps files to the members of their room', async () => {
    const privateRoom = await createRoom('carol', ['dave']);
    const publicRoom = await createRoom('carol', [], false);
    const ticket = await upload('carol', privateRoom, photo);
    expect((await complete('carol', ticket.file_id)).status).toBe(200);

    expect(await requestUpload('mallory', privateRoom, photo)).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
    expect(await requestUpload('mallory', publicRoom, photo)).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });
    expect(await h.api('mallory', 'GET', ticket.file_url)).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
    expect(await complete('mallory', ticket.file_id)).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
    expect((await h.api('dave', 'GET', ticket.file_url)).status).toBe(200);

    const mallory = await h.connect('mallory');
    share(mallory, privateRoom, photo, ticket.file_url, 'sneak-1');
    expect(await mallory.nextOfType('error', 10_000)).toMatchObject({
      code: 'room_not_found',
      ref: 'sneak-1',
    });
    mallory.close();
  });

  it('takes a file of exactly the size limit', async () => {
    const roomId = await createRoom('olivia', []);
    const report = {
      name: 'report.pdf',
      type: 'application/pdf',
      bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024 - 9, 0x20)]),
    };
    const ticket = await upload('olivia', roomId, report);
    expect(await complete('olivia', ticket.file_id)).toMatchObject({
      status: 200,
      body: { size: 10 * 1024 * 1024 },
    });
    const link = await h.api('olivia', 'GET', ticket.file_url);
    const download = await fetch(h.resolve(link.body.download_url));
    expect(Buffer.from(await download.arrayBuffer()).equals(report.bytes)).toBe(true);
  });

  it('refuses an oversized file and a type that is not allowed, before any upload', async () => {
    const roomId = await createRoom('erin', []);
    expect(await requestUpload('erin', roomId, photo, 10 * 1024 * 1024 + 1)).toMatchObject({
      status: 413,
      body: { code: 'file_too_large' },
    });
    const program = { name: 'setup.exe', type: 'application/x-msdownload', bytes: ELF };
    expect(await requestUpload('erin', roomId, program)).toMatchObject({
      status: 415,
      body: { code: 'file_type_not_allowed' },
    });
  });

  it('refuses a file named as an executable, or named for another type, before any upload', async () => {
    const roomId = await createRoom('erin', []);
    const batch = {
      name: 'invoice.pdf.bat',
      type: 'text/plain',
      bytes: Buffer.from('@echo off\r\nformat c:\r\n'),
    };
    expect(await requestUpload('erin', roomId, batch)).toMatchObject({
      status: 415,
      body: { code: 'file_type_not_allowed' },
    });
    const misnamed = { name: 'invoice.pdf', type: 'text/plain', bytes: Buffer.from('not a pdf') };
    expect(await requestUpload('erin', roomId, misnamed)).toMatchObject({
      status: 422,
      body: { code: 'file_type_mismatch' },
    });
  });

  it('rejects a disguised executable once uploaded: it can be neither downloaded nor shared', async () => {
    const roomId = await createRoom('frank', ['grace']);
    const disguised = { name: 'cat.png', type: 'image/png', bytes: ELF };
    const ticket = await upload('frank', roomId, disguised);
    expect(await complete('frank', ticket.file_id)).toMatchObject({
      status: 415,
      body: { code: 'file_type_not_allowed', message: expect.stringContaining('application/x-elf') },
    });
    expect((await complete('frank', ticket.file_id)).body.code).toBe('file_type_not_allowed');
    expect(await h.api('grace', 'GET', ticket.file_url)).toMatchObject({
      status: 409,
      body: { code: 'file_not_verified' },
    });

    const [frank, grace] = await Promise.all([h.connect('frank'), h.connect('grace')]);
    await join(frank, roomId);
    await join(grace, roomId);
    share(frank, roomId, disguised, ticket.file_url, 'disguised-1');
    expect(await frank.nextOfType('error', 10_000)).toMatchObject({
      code: 'file_type_not_allowed',
      ref: 'disguised-1',
    });
    share(grace, roomId, disguised, ticket.file_url, 'disguised-2');
    expect(await grace.nextOfType('error', 10_000)).toMatchObject({
      code: 'file_not_verified',
      ref: 'disguised-2',
    });
    frank.close();
    grace.close();
  });

  it('refuses share_file with any link but a verified upload’s file_url', async () => {
    const roomId = await createRoom('heidi', []);
    const heidi = await h.connect('heidi');
    await join(heidi, roomId);
    share(heidi, roomId, photo, 'https://example.com/file.pdf', 'link-1');
    expect(await heidi.nextOfType('error')).toMatchObject({ code: 'file_not_verified', ref: 'link-1' });
    const ticket = await requestUpload('heidi', roomId, photo);
    const startedAt = Date.now();
    share(heidi, roomId, photo, ticket.body.file_url, 'unfinished-1');
    expect(await heidi.nextOfType('error', 10_000)).toMatchObject({
      code: 'upload_incomplete',
      ref: 'unfinished-1',
    });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(heidi.ofType('ack')).toEqual([]);
    heidi.close();
  });

  it('refuses an upload past the hourly limit', async () => {
    const roomId = await createRoom('ivan', []);
    for (let i = 0; i < 10; i++) expect((await requestUpload('ivan', roomId, photo)).status).toBe(201);
    expect(await requestUpload('ivan', roomId, photo)).toMatchObject({
      status: 429,
      body: { code: 'rate_limited' },
    });
  });
});

scenario('file sharing with short-lived upload URLs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CHAT_MEDIA__UPLOAD_URL_EXPIRY_SECONDS: '1' });
  });
  afterAll(() => h.stop());

  it('refuses an upload after its URL expired, and says so on completion', async () => {
    const room = await h.api('judy', 'POST', '/api/rooms', { name: 'late', private: true });
    const ticket = await h.api('judy', 'POST', '/api/media/uploads', {
      room_id: room.body.room_id,
      file_name: 'photo.png',
      content_type: 'image/png',
      size: PNG.length,
    });
    expect(ticket.status).toBe(201);
    await sleep(2_100);
    const late = await fetch(h.resolve(ticket.body.upload_url), { method: 'PUT', body: PNG });
    expect(late.status).toBe(403);
    expect(await h.api('judy', 'POST', `/api/media/${ticket.body.file_id}/complete`)).toMatchObject({
      status: 410,
      body: { code: 'upload_expired' },
    });
  });
});

scenario('file sharing switched off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ENABLE_FILE_SHARING: 'false' });
  });
  afterAll(() => h.stop());

  it('answers uploads and share_file with feature_disabled', async () => {
    const upload = await h.api('kim', 'POST', '/api/media/uploads', {
      room_id: 'general',
      file_name: 'photo.png',
      content_type: 'image/png',
      size: PNG.length,
    });
    expect(upload).toMatchObject({ status: 403, body: { code: 'feature_disabled' } });
    const kim = await h.connect('kim');
    kim.send({
      type: 'share_file',
      room_id: 'general',
      file_url: '/api/media/file_AAAAAAAAAAAAAAAAAAAAAA',
      file_name: 'photo.png',
      file_size: PNG.length,
    });
    expect(await kim.nextOfType('error')).toMatchObject({ code: 'feature_disabled', ref: 'share_file' });
    kim.close();
  });
});
