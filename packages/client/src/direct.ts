import type { DirectRoom, ErrorCode } from '@chat/contracts';
import { ChatError } from './chat-error';

/** The REST origin beside a gateway's WebSocket URL: `ws://host:8000/ws` → `http://host:8000`. */
export const apiOriginOf = (wsUrl: string): string => {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
};

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `POST /api/dms`: the caller's direct room with `userId`, opened by this call or before. */
export const openDirectRoom = async (apiUrl: string, token: string, userId: string): Promise<DirectRoom> => {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/api/dms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: userId }),
    });
  } catch (error) {
    throw new ChatError('unavailable', `Could not reach ${apiUrl}: ${reasonOf(error)}`);
  }
  const body = (await response.json().catch(() => null)) as
    DirectRoom | { code: ErrorCode; message: string } | null;
  if (response.ok && body && 'room_id' in body) return body;
  if (body && 'code' in body) throw new ChatError(body.code, body.message);
  throw new ChatError('internal', `POST /api/dms answered ${response.status}.`);
};
