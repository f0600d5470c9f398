export { ChatClient, type JoinResult } from './chat-client';
export { ChatError, isRetryable, type ChatErrorCode } from './chat-error';
export type { ChatEvents, ConnectionState, Payload, RoomEvent, ThreadUpdate } from './events';
export type { Listener } from './emitter';
export type { ChatClientOptions } from './options';
export type { BackoffPolicy } from './backoff';
export type { Ack } from './outbox';
export type { ReactionAck } from './pending-reactions';
export type { WebSocketConstructor, WebSocketLike } from './frame-socket';
export type { FileUpload } from './rest';
export { CloseCode, MAX_CONTENT_LENGTH } from './wire';
export type {
  AccountExport,
  ChatMessage,
  ClientFrame,
  ClientFrameOf,
  ClientFrames,
  DirectRoom,
  Erasure,
  ErrorCode,
  ServerFrame,
  ServerFrameOf,
  ServerFrames,
  VerifiedFile,
} from './wire';
