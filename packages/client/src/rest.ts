import { ChatError } from './chat-error';
import type { AccountExport, DirectRoom, Erasure, ErrorBody, UploadTicket, VerifiedFile } from './wire';

/** The REST origin beside a gateway's WebSocket URL: `ws://host:8000/ws` → `http://host:8000`. */
export const apiOriginOf = (wsUrl: string): string => {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
};

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Reaches the platform; a failure to reach it is `unavailable`, as the server would call it. */
const reach = async (url: string, init: RequestInit): Promise<Response> => {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ChatError('unavailable', `Could not reach ${url}: ${reasonOf(error)}`);
  }
};

/** A REST call with the user's token; a refusal becomes a ChatError with the server's code. */
export const requestJson = async <T extends object>(
  apiUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> => {
  const response = await reach(`${apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json().catch(() => null)) as T | ErrorBody | null;
  if (!response.ok && answer && 'code' in answer) {
    throw new ChatError(answer.code, answer.message, undefined, answer.retry_after_ms);
  }
  if (!response.ok || !answer)
    throw new ChatError('internal', `${method} ${path} answered ${response.status}.`);
  return answer as T;
};

/** `POST /api/dms`: the caller's direct room with `userId`, opened by this call or before. */
export const openDirectRoom = (apiUrl: string, token: string, userId: string): Promise<DirectRoom> =>
  requestJson<DirectRoom>(apiUrl, token, 'POST', '/api/dms', { user_id: userId });

/** `GET /api/me/export`: everything the platform holds about the user, as one document. */
export const exportAccount = (apiUrl: string, token: string): Promise<AccountExport> =>
  requestJson<AccountExport>(apiUrl, token, 'GET', '/api/me/export');

/**
 * `DELETE /api/me`: erases the user's data for good — their messages become tombstones, their
 * files, subscriptions and presence are deleted, and their token is refused from then on.
 */
export const eraseAccount = (apiUrl: string, token: string): Promise<Erasure> =>
  requestJson<Erasure>(apiUrl, token, 'DELETE', '/api/me');

/** A file to upload: a browser `File` fits (`name`, `type` and itself as `data`). */
export interface FileUpload {
  name: string;
  /** Its media type, e.g. `image/png`; the server checks the bytes against it. */
  type: string;
  data: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>;
}

const sizeOf = (data: FileUpload['data']) => (data instanceof Blob ? data.size : data.byteLength);

/**
 * Uploads a file to a room's storage: asks for an upload URL, PUTs the bytes there (straight to
 * object storage when the platform runs with S3), and has the server verify them.
 */
export const uploadFile = async (
  apiUrl: string,
  token: string,
  roomId: string,
  file: FileUpload,
): Promise<VerifiedFile> => {
  const ticket = await requestJson<UploadTicket>(apiUrl, token, 'POST', '/api/media/uploads', {
    room_id: roomId,
    file_name: file.name,
    content_type: file.type,
    size: sizeOf(file.data),
  });
  const uploadUrl = new URL(ticket.upload_url, apiUrl).toString();
  const put = await reach(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': file.type },
    body: file.data,
  });
  if (!put.ok) throw new ChatError('upload_incomplete', `The upload answered ${put.status}.`);
  return requestJson<VerifiedFile>(apiUrl, token, 'POST', `/api/media/${ticket.file_id}/complete`);
};
