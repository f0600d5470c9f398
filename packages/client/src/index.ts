export { ChatClient, type JoinResult } from './chat-client';
export { ChatError, isRetryable, type ChatErrorCode } from './chat-error';
export type { ChatEvents, ConnectionState, RoomEvent, ThreadUpdate } from './events';
export type { ChatClientOptions } from './options';
export type { BackoffPolicy } from './backoff';
export type { Ack } from './outbox';
export type { ReactionAck } from './pending-reactions';
export type { WebSocketConstructor, WebSocketLike } from './frame-socket';
export type { FileUpload } from './rest';
export { CloseCode, MAX_CONTENT_LENGTH } from './wire';
export type {
  ChatMessage,
  ClientFrame,
  ClientFrames,
  DirectRoom,
  ErrorCode,
  ServerFrame,
  ServerFrames,
  VerifiedFile,
} from './wire';
