export { ChatClient, type JoinResult } from './chat-client';
export { ChatError, isRetryable, type ChatErrorCode } from './chat-error';
export type { ChatEvents, ConnectionState, RoomEvent, ThreadUpdate } from './events';
export type { ChatClientOptions } from './options';
export type { BackoffPolicy } from './backoff';
export type { Ack } from './outbox';
export type { ReactionAck } from './pending-reactions';
export type { WebSocketConstructor, WebSocketLike } from './frame-socket';
export type { ChatMessage, DirectRoom } from '@chat/contracts';
