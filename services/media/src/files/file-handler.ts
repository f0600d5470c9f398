import { randomBytes, randomUUID } from 'node:crypto';
import {
  compileContentFilter,
  fileStream,
  fileUrlOf,
  reject,
  type FileDownload,
  type Rejection,
  type Result,
  type UploadRequestBody,
  type UploadTicket,
  type VerifiedFile,
} from '@chat/contracts';
import { waitUntil, type AggregateRepository } from '@chat/event-sourcing';
import { refuseNonMember, type RoomAccessView, type Viewer } from '@chat/room-access';
import { openFileName, type ContentCipher } from '@chat/privacy';
import type { Logger, Settings } from '@chat/runtime';
import type { BlobStore } from '../blobs/port';
import type { UrlSigner } from '../blobs/url-signer';
import type { MediaReadModel } from '../read-model/port';
import type { FileCommand } from './commands';
import type { FileEvent, FileState } from './file';
import { openFile, sealFile, sealedSize } from './sealed-file';
import { SNIFF_BYTES, sniffContent } from './sniff';
import type { StoredObject } from './stored-object';
import { rejectionOf } from './verification';

export type FileRepository = AggregateRepository<FileCommand, FileEvent, FileState>;

/** Who asks (a viewer of the room access rule), and the request's correlation id for the events' metadata. */
export interface Actor extends Viewer {
  correlationId: string;
}

export interface FileHandler {
  requestUpload(actor: Actor, request: UploadRequestBody): Promise<Result<UploadTicket, Rejection>>;
  completeUpload(actor: Actor, fileId: string): Promise<Result<VerifiedFile, Rejection>>;
  /**
   * Before a share: the uploader's upload is completed (verified now, or its verdict repeated);
   * anyone else may share only a file already verified.
   */
  verifyForShare(actor: Actor, fileId: string): Promise<Result<null, Rejection>>;
  download(actor: Actor, fileId: string): Promise<Result<FileDownload, Rejection>>;
  /** A verified file's content, opened, for a signed link `download` gave (`query`: the link's). */
  content(fileId: string, query: URLSearchParams): Promise<Result<FileContent, Rejection>>;
}

/** A file's bytes as served: opened from its sealed object while they stream out. */
export interface FileContent {
  body: AsyncIterable<Uint8Array>;
  size: number;
  fileName: string;
  contentType: string;
}

/**
 * Each file's own data key (`ContentCipher.fileKey`), owned by its uploader: destroyed with the
 * uploader's keys (erasure), it makes the sealed object unreadable wherever a copy of it lies.
 */
export type FileKeys = Pick<ContentCipher, 'fileKey' | 'fileKeyToRead' | 'open' | 'destroyScopeKeysBefore'>;

const HOUR_MS = 60 * 60 * 1000;
/** How long an upload waits for the read model to count it, so the next request sees it. */
const COUNTED_TIMEOUT_MS = 2_000;
/** How long a completion waits for the relay to publish the verdict, so a share right after finds the file verified. */
const PUBLISHED_TIMEOUT_MS = 5_000;

/**
 * Upload URLs write to `uploads/`; a completed upload is first moved to `received/`, out of reach
 * of any upload URL still valid, then sealed into `files/` (and the clear copy deleted) before it
 * is judged, so what is verified is what is served, and only sealed bytes are kept.
 */
export const uploadKey = (fileId: string) => `uploads/${fileId}`;
export const receivedKey = (fileId: string) => `received/${fileId}`;
export const fileKey = (fileId: string) => `files/${fileId}`;
/** The path a file's content link is signed for. */
const contentPath = (fileId: string) => `/api/media/${fileId}/content`;

/** 132 random bits: the id is what a file URL names, so it cannot be guessed. */
export const newFileId = (): string => `file_${randomBytes(17).toString('base64url').slice(0, 22)}`;

/**
 * The media service's use cases: each loads a file's stream, lets the pure decider decide, and
 * does around it what a decider cannot — look up access and counts, sign URLs, inspect and move
 * objects in blob storage.
 */
export const createFileHandler = (deps: {
  repository: FileRepository;
  readModel: Pick<MediaReadModel, 'appliedRevision' | 'countUploadsSince' | 'isErased'>;
  /** Who may use each room. */
  access: Pick<RoomAccessView, 'decide'>;
  /** Resolves once the uploads projection applied its next batch here, or after `ms`. */
  uploadsApplied: (ms: number) => Promise<void>;
  /** True once the media relay published every event up to `position` (`Relay.published`). */
  published: (position: string, timeoutMs: number) => Promise<boolean>;
  blobs: BlobStore;
  keys: FileKeys;
  /** Signs the content links `download` hands out; every replica has the same secret. */
  urls: UrlSigner;
  settings: Settings;
  logger: Logger;
}): FileHandler => {
  const { repository, readModel, access, blobs, keys, urls, settings, logger } = deps;
  const contentFilter = compileContentFilter(settings.moderation, { patterns: true });
  /** The file as its uploader and room see it: its name opened (it is stored sealed). */
  const verifiedFileOf = async (state: FileState): Promise<VerifiedFile> => ({
    file_id: state.fileId,
    room_id: state.roomId,
    file_name: await openFileName(keys, state.fileId, state.fileName),
    content_type: state.contentType,
    size: state.size,
    file_url: fileUrlOf(state.fileId),
  });
  const metadataOf = (actor: Actor, commandId: string) => ({
    correlation_id: actor.correlationId,
    causation_id: commandId,
    actor_id: actor.userId,
  });

  /** Files are for the members of their room: the one rule, a refusal confirmed by the view. */
  const refusalIn = async (roomId: string, actor: Actor): Promise<Rejection | null> =>
    (await access.decide(roomId, (room) => refuseNonMember(room, actor))).refusal;

  const waitUntilCounted = (stream: string, revision: number) =>
    waitUntil(
      async () => ((await readModel.appliedRevision(stream)) ?? -1) >= revision,
      deps.uploadsApplied,
      COUNTED_TIMEOUT_MS,
    );

  /** Moves the upload out of reach of its URL, seals it, and judges what arrived. */
  const takeUpload = async (fileId: string, uploaderId: string): Promise<StoredObject | null> => {
    await blobs.move(uploadKey(fileId), receivedKey(fileId));
    const found = await blobs.inspect(receivedKey(fileId), SNIFF_BYTES);
    if (!found) return null;
    const received = await blobs.read(receivedKey(fileId));
    if (!received) return null;
    const { key } = await keys.fileKey(fileId, uploaderId);
    await blobs.write(fileKey(fileId), sealFile(received, key, fileId), sealedSize(found.size));
    await blobs.delete(receivedKey(fileId));
    return { size: found.size, content: await sniffContent(found.head) };
  };

  const handler: FileHandler = {
    async requestUpload(actor, request) {
      const fileId = newFileId();
      const now = new Date();
      const commandId = `request:${fileId}`;
      const [room_refusal, uploads_in_last_hour] = await Promise.all([
        refusalIn(request.room_id, actor),
        readModel.countUploadsSince(actor.userId, new Date(now.getTime() - HOUR_MS)),
      ]);
      const executed = await repository.execute({
        streamName: fileStream(fileId),
        command: {
          type: 'RequestUpload',
          data: { file_id: fileId, ...request },
          context: {
            actor_id: actor.userId,
            decided_at: now.toISOString(),
            room_refusal,
            uploads_in_last_hour,
            content_filter: contentFilter,
            limits: {
              max_file_size: settings.messages.max_file_size,
              files_per_hour: settings.rate_limiting.files_per_hour,
              upload_url_expiry_seconds: settings.media.upload_url_expiry_seconds,
            },
          },
        },
        commandId,
        metadata: metadataOf(actor, commandId),
      });
      if (!executed.ok) return executed;
      const { state, revision } = executed.value;
      // Read-your-writes for the hourly limit: the client's next request counts this one.
      await waitUntilCounted(fileStream(fileId), revision!);
      const upload_url = await blobs.uploadUrl(uploadKey(fileId), {
        size: state.size,
        expiresAt: new Date(state.expiresAt),
      });
      return {
        ok: true,
        value: { file_id: fileId, upload_url, file_url: fileUrlOf(fileId), expires_at: state.expiresAt },
      };
    },

    async completeUpload(actor, fileId) {
      const stream = fileStream(fileId);
      const { state } = await repository.load(stream);
      // Storage is touched for the uploader of a pending upload only; the decider answers the rest.
      const pending = state.status === 'requested' && state.uploaderId === actor.userId;
      const stored = pending ? await takeUpload(fileId, actor.userId) : null;
      const commandId = randomUUID();
      const executed = await repository.execute({
        streamName: stream,
        command: {
          type: 'CompleteUpload',
          data: { file_id: fileId },
          context: { actor_id: actor.userId, decided_at: new Date().toISOString(), stored },
        },
        commandId,
        metadata: metadataOf(actor, commandId),
      });
      if (!executed.ok) return executed;
      const { state: after, position } = executed.value;
      if (after.status === 'rejected') {
        // Rejected just now: the content is never served, so it is not kept either.
        await blobs.delete(fileKey(fileId));
        return { ok: false, error: rejectionOf(after.rejection!) };
      }
      // Read-your-writes for sharing: the message service learns of verified files from
      // `media.events`, so the client's share right after this answer must find it published.
      if (position !== null && !(await deps.published(position, PUBLISHED_TIMEOUT_MS))) {
        logger.warn({ file_id: fileId, position }, 'FileVerified not published in time; answering anyway');
      }
      return { ok: true, value: await verifiedFileOf(after) };
    },

    async verifyForShare(actor, fileId) {
      const { state } = await repository.load(fileStream(fileId));
      if (state.status !== 'absent' && state.uploaderId === actor.userId) {
        const completed = await handler.completeUpload(actor, fileId);
        return completed.ok ? { ok: true, value: null } : completed;
      }
      if (state.status === 'verified') return { ok: true, value: null };
      if (state.status === 'absent') return { ok: false, error: reject('file_not_found', 'File not found.') };
      return { ok: false, error: reject('file_not_verified', 'The file was not (or not yet) verified.') };
    },

    async download(actor, fileId) {
      const { state } = await repository.load(fileStream(fileId));
      // An erased uploader's files are deleted: as if there had never been one.
      if (state.status === 'absent' || (await readModel.isErased(state.uploaderId))) {
        return { ok: false, error: reject('file_not_found', 'File not found.') };
      }
      const refusal = await refusalIn(state.roomId, actor);
      if (refusal) return { ok: false, error: refusal };
      // A file past its room's retention (its key destroyed) is gone as an erased one is.
      if ((await keys.fileKeyToRead(fileId, state.uploaderId))?.ok === false) {
        return { ok: false, error: reject('file_not_found', 'File not found.') };
      }
      if (state.status !== 'verified') {
        return { ok: false, error: reject('file_not_verified', 'The file was not (or not yet) verified.') };
      }
      const expiresAt = new Date(Date.now() + settings.media.download_url_expiry_seconds * 1000);
      const download_url = `${contentPath(fileId)}?${urls.sign('GET', contentPath(fileId), expiresAt)}`;
      return {
        ok: true,
        value: {
          file_id: fileId,
          download_url,
          file_name: await openFileName(keys, fileId, state.fileName),
          content_type: state.contentType,
          size: state.size,
          expires_at: expiresAt.toISOString(),
        },
      };
    },

    async content(fileId, query) {
      const signed = urls.check('GET', contentPath(fileId), query);
      if (!signed.ok) return signed;
      const { state } = await repository.load(fileStream(fileId));
      if (state.status !== 'verified')
        return { ok: false, error: reject('file_not_found', 'File not found.') };
      const key = await keys.fileKeyToRead(fileId, state.uploaderId);
      if (!key?.ok) return { ok: false, error: reject('file_not_found', 'File not found.') };
      const sealed = await blobs.read(fileKey(fileId));
      if (!sealed) return { ok: false, error: reject('file_not_found', 'File not found.') };
      return {
        ok: true,
        value: {
          body: openFile(sealed, key.key, fileId),
          size: state.size,
          fileName: await openFileName(keys, fileId, state.fileName),
          contentType: state.contentType,
        },
      };
    },
  };
  return handler;
};
