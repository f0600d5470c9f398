import type { ChatMessage, ErrorCode } from '@chat/client';
import type { FileDownload, Room, RoomPresence, SearchPage } from '@chat/contracts';

export type { FileDownload, Room, RoomPresence, SearchHit, SearchPage } from '@chat/contracts';

export interface Page {
  messages: ChatMessage[];
  has_more: boolean;
}

export interface Receipt {
  user_id: string;
  seq: number;
  read_at: string;
}

/** A refusal of the REST API, with the platform's stable code. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'http_error',
    message: string,
  ) {
    super(message);
  }
}

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

/** A request that could not reach the platform is `unavailable`, as the server would call it. */
const reach = async (url: string, init?: RequestInit): Promise<Response> => {
  try {
    return await fetch(url, init);
  } catch {
    throw new ApiError('unavailable', 'The platform cannot be reached right now.');
  }
};

/** Reads an answer: JSON on success, the `{code, message}` body of a refusal as an ApiError. */
const answerOf = async <T>(response: Response): Promise<T> => {
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as T | { code: ErrorCode; message: string } | null;
  if (!response.ok) {
    const refusal = body as { code?: ErrorCode; message?: string } | null;
    throw new ApiError(refusal?.code ?? 'http_error', refusal?.message ?? `HTTP ${response.status}`);
  }
  return body as T;
};

/** The development sign-in, offered by the embedded run only while it uses the development secret. */
export const devSignIn = {
  async available(): Promise<boolean> {
    const response = await fetch('/api/dev/sign-in').catch(() => null);
    return response?.ok ?? false;
  },
  async token(userId: string): Promise<string> {
    const response = await reach('/api/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: userId }),
    });
    return (await answerOf<{ token: string }>(response)).token;
  },
};

/** The REST API beside the WebSocket, as the signed-in user: what the SDK does not cover. */
export class Api {
  constructor(private readonly token: string) {}

  private async call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await reach(url, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return answerOf<T>(response);
  }

  async rooms(): Promise<Room[]> {
    return (await this.call<{ rooms: Room[] }>('GET', '/api/rooms')).rooms;
  }

  createRoom(name: string, isPrivate: boolean): Promise<Room> {
    return this.call('POST', '/api/rooms', { name, private: isPrivate });
  }

  /** The newest page, or the page before `beforeSeq`; ascending by seq. */
  history(roomId: string, beforeSeq?: number): Promise<Page> {
    return this.call(
      'GET',
      `/api/rooms/${path(roomId)}/messages${query({ limit: 50, before_seq: beforeSeq })}`,
    );
  }

  thread(roomId: string, messageId: string): Promise<Page> {
    return this.call(
      'GET',
      `/api/rooms/${path(roomId, 'threads', messageId, 'messages')}${query({ limit: 200 })}`,
    );
  }

  edit(roomId: string, messageId: string, content: string): Promise<unknown> {
    return this.call('PATCH', `/api/rooms/${path(roomId, 'messages', messageId)}`, { content });
  }

  remove(roomId: string, messageId: string): Promise<unknown> {
    return this.call('DELETE', `/api/rooms/${path(roomId, 'messages', messageId)}`);
  }

  receipts(roomId: string): Promise<Receipt[]> {
    return this.call('GET', `/api/rooms/${path(roomId, 'receipts')}`);
  }

  presence(roomId: string): Promise<RoomPresence> {
    return this.call('GET', `/api/presence/room/${path(roomId)}`);
  }

  search(q: string): Promise<SearchPage> {
    return this.call('GET', `/api/search/messages${query({ q, limit: 30 })}`);
  }

  /** A short-lived link to a shared file (`file_url` of its message). */
  download(fileUrl: string): Promise<FileDownload> {
    return this.call('GET', fileUrl);
  }
}
