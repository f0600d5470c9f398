import { compileContentFilter, NO_FILTER, reject, type Rejection } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { FileCommand, FileCommandOf } from './commands';
import { fileDecider } from './decide';
import type { FileEvent } from './file';
import type { StoredObject } from './stored-object';

const FILE = 'file_AAAAAAAAAAAAAAAAAAAAAA';
const ROOM = 'room-1';
const T0 = '2024-05-01T10:00:00.000Z';
const T1 = '2024-05-01T10:05:00.000Z';
const AFTER_EXPIRY = '2024-05-01T10:20:00.000Z';
const LIMITS = { max_file_size: 1000, files_per_hour: 10, upload_url_expiry_seconds: 900 };

const requestUpload = (
  overrides: Partial<FileCommandOf<'RequestUpload'>['data']> = {},
  context: Partial<FileCommandOf<'RequestUpload'>['context']> = {},
): FileCommand => ({
  type: 'RequestUpload',
  data: {
    file_id: FILE,
    room_id: ROOM,
    file_name: 'photo.png',
    content_type: 'image/png',
    size: 500,
    ...overrides,
  },
  context: {
    actor_id: 'alice',
    decided_at: T0,
    room_refusal: null,
    uploads_in_last_hour: 0,
    limits: LIMITS,
    content_filter: NO_FILTER,
    ...context,
  },
});

const completeUpload = (stored: StoredObject | null, actor = 'alice', decidedAt = T1): FileCommand => ({
  type: 'CompleteUpload',
  data: { file_id: FILE },
  context: { actor_id: actor, decided_at: decidedAt, stored },
});

const requested = {
  file_id: FILE,
  room_id: ROOM,
  uploader_id: 'alice',
  file_name: 'photo.png',
  content_type: 'image/png',
  size: 500,
  requested_at: T0,
  expires_at: '2024-05-01T10:15:00.000Z',
};
const uploadRequested: FileEvent = { type: 'UploadRequested', data: requested };
const png: StoredObject = { size: 500, content: { kind: 'typed', mime: 'image/png' } };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });
const decidedOn = (past: FileEvent[]) => given(fileDecider, past);

describe('RequestUpload', () => {
  it('grants a member an upload of an allowed type, valid for the configured time', () => {
    expect(decidedOn([])(requestUpload({ content_type: 'Image/PNG; charset=binary' }))).toEqual({
      ok: true,
      value: [uploadRequested],
    });
  });

  it.each<[string, Rejection]>([
    ['an outsider of a private or missing room', reject('room_not_found', 'Room not found.')],
    ['a non-member of a public room', reject('not_member', 'You are not a member of this room.')],
  ])('refuses %s as the room access rule does, before anything else', (_, room_refusal) => {
    const oversized = requestUpload({ size: 1001, content_type: 'application/zip' }, { room_refusal });
    expect(decidedOn([])(oversized)).toEqual({ ok: false, error: room_refusal });
  });

  it('refuses a file over the size limit, and an empty one', () => {
    expect(decidedOn([])(requestUpload({ size: 1001 }))).toEqual(refused('file_too_large'));
    expect(decidedOn([])(requestUpload({ size: 1000 })).ok).toBe(true);
    expect(decidedOn([])(requestUpload({ size: 0 }))).toEqual(refused('invalid_request'));
  });

  it.each(['application/x-msdownload', 'image/svg+xml', 'application/zip', 'text/html'])(
    'refuses the type %s',
    (contentType) => {
      expect(decidedOn([])(requestUpload({ content_type: contentType }))).toEqual(
        refused('file_type_not_allowed'),
      );
    },
  );

  it.each(['../etc/passwd', 'a\\b.png', 'line\nbreak.png', '   ', 'photo\u202Egnp.exe', 'a\u2066b.png'])(
    'refuses the file name %j',
    (name) => {
      expect(decidedOn([])(requestUpload({ file_name: name }))).toEqual(refused('invalid_request'));
    },
  );

  it('refuses a file name holding a term the content filter blocks, however disguised', () => {
    const content_filter = compileContentFilter(
      { blocked_terms: 'secret', block_links: false },
      { patterns: true },
    );
    expect(decidedOn([])(requestUpload({ file_name: 'ѕecret plan.png' }, { content_filter }))).toEqual(
      refused('content_blocked'),
    );
    expect(decidedOn([])(requestUpload({ file_name: 'plan.png' }, { content_filter })).ok).toBe(true);
  });

  it.each([
    ['invoice.pdf.bat', 'text/plain'],
    ['setup.EXE', 'image/png'],
    ['run.sh', 'text/plain'],
    ['report.ps1', 'text/plain'],
    ['page.html', 'text/plain'],
  ])('refuses the executable name %j whatever its declared type (%s)', (name, contentType) => {
    expect(decidedOn([])(requestUpload({ file_name: name, content_type: contentType }))).toEqual(
      refused('file_type_not_allowed'),
    );
  });

  it.each([
    ['photo.jpg', 'image/png'],
    ['notes.pdf', 'text/plain'],
    ['README', 'text/plain'],
    ['photo.png.', 'image/png'],
  ])('refuses the name %j for a file of type %s', (name, contentType) => {
    expect(decidedOn([])(requestUpload({ file_name: name, content_type: contentType }))).toEqual(
      refused('file_type_mismatch'),
    );
  });

  it.each([
    ['Holiday.JPEG', 'image/jpeg'],
    ['notes.txt', 'text/plain; charset=utf-8'],
    ['plan.v2.md', 'text/markdown'],
    ['budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ])('grants the name %j for a file of type %s', (name, contentType) => {
    expect(decidedOn([])(requestUpload({ file_name: name, content_type: contentType })).ok).toBe(true);
  });

  it('refuses an upload past the hourly limit', () => {
    expect(decidedOn([])(requestUpload({}, { uploads_in_last_hour: 9 })).ok).toBe(true);
    expect(decidedOn([])(requestUpload({}, { uploads_in_last_hour: 10 }))).toEqual(refused('rate_limited'));
  });

  it('decides nothing new for a repeated request', () => {
    expect(decidedOn([uploadRequested])(requestUpload())).toEqual({ ok: true, value: [] });
  });
});

describe('CompleteUpload', () => {
  it('verifies an object of the declared size and type', () => {
    expect(decidedOn([uploadRequested])(completeUpload(png))).toEqual({
      ok: true,
      value: [
        {
          type: 'FileVerified',
          data: {
            file_id: FILE,
            room_id: ROOM,
            uploader_id: 'alice',
            file_name: 'photo.png',
            content_type: 'image/png',
            size: 500,
            file_url: `/api/media/${FILE}`,
            verified_at: T1,
          },
        },
      ],
    });
  });

  it.each<[string, StoredObject, string]>([
    ['another size', { ...png, size: 499 }, 'size_mismatch'],
    [
      'an ELF executable',
      { size: 500, content: { kind: 'typed', mime: 'application/x-elf' } },
      'type_not_allowed',
    ],
    [
      'a PE executable',
      { size: 500, content: { kind: 'typed', mime: 'application/x-msdownload' } },
      'type_not_allowed',
    ],
    ['a script', { size: 500, content: { kind: 'script' } }, 'type_not_allowed'],
    ['unrecognised bytes', { size: 500, content: { kind: 'unknown' } }, 'type_not_allowed'],
    [
      'another allowed type',
      { size: 500, content: { kind: 'typed', mime: 'application/pdf' } },
      'type_mismatch',
    ],
    ['text', { size: 500, content: { kind: 'text' } }, 'type_mismatch'],
  ])('rejects %s', (_, stored, reason) => {
    const decided = decidedOn([uploadRequested])(completeUpload(stored));
    expect(decided).toEqual({
      ok: true,
      value: [
        {
          type: 'FileRejected',
          data: { file_id: FILE, room_id: ROOM, reason, detail: expect.any(String), rejected_at: T1 },
        },
      ],
    });
  });

  it('verifies text as a declared text type', () => {
    const requestedText: FileEvent = {
      type: 'UploadRequested',
      data: { ...requested, file_name: 'notes.txt', content_type: 'text/plain' },
    };
    const decided = decidedOn([requestedText])(completeUpload({ size: 500, content: { kind: 'text' } }));
    expect(decided.ok && decided.value[0]?.type).toBe('FileVerified');
  });

  it('answers a rejected file with the same refusal every time', () => {
    const rejected = decidedOn([uploadRequested])(completeUpload({ ...png, size: 1 }));
    if (!rejected.ok) throw new Error('expected a FileRejected');
    expect(decidedOn([uploadRequested, ...rejected.value])(completeUpload(png))).toEqual(
      refused('file_size_mismatch'),
    );
  });

  it('decides nothing new for a verified file', () => {
    const verified = decidedOn([uploadRequested])(completeUpload(png));
    if (!verified.ok) throw new Error('expected a FileVerified');
    expect(decidedOn([uploadRequested, ...verified.value])(completeUpload(null))).toEqual({
      ok: true,
      value: [],
    });
  });

  it('says the upload is incomplete while nothing is stored, and expired once its URL has', () => {
    expect(decidedOn([uploadRequested])(completeUpload(null))).toEqual(refused('upload_incomplete'));
    expect(decidedOn([uploadRequested])(completeUpload(null, 'alice', AFTER_EXPIRY))).toEqual(
      refused('upload_expired'),
    );
  });

  it('verifies a file uploaded in time even when completed after the URL expired', () => {
    expect(decidedOn([uploadRequested])(completeUpload(png, 'alice', AFTER_EXPIRY)).ok).toBe(true);
  });

  it('lets only the uploader complete, and knows no file that was never requested', () => {
    expect(decidedOn([uploadRequested])(completeUpload(png, 'mallory'))).toEqual(refused('forbidden'));
    expect(decidedOn([])(completeUpload(png))).toEqual(refused('file_not_found'));
  });
});
