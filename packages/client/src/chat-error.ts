import type { ErrorCode } from './wire';

/**
 * The server's error codes, plus two the client itself raises: `closed` (the client was closed
 * before the request was answered) and `cancelled` (the app undid the request, e.g. left a room
 * it was still joining).
 */
export type ChatErrorCode = ErrorCode | 'closed' | 'cancelled';

export class ChatError extends Error {
  override readonly name = 'ChatError';

  constructor(
    readonly code: ChatErrorCode,
    message: string,
    /** The room a refused join or leave was for. */
    readonly roomId?: string,
    /** On `rate_limited` and `overloaded`: the server's word on how long to wait before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Codes that describe the server's condition rather than the request: the same request may succeed later. */
const RETRYABLE = new Set<ChatErrorCode>([
  'timeout',
  'unavailable',
  'internal',
  'rate_limited',
  'overloaded',
]);

export const isRetryable = (code: ChatErrorCode): boolean => RETRYABLE.has(code);
