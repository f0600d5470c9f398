export { ChatClient, type JoinResult } from './chat-client';
export { ChatError, isRetryable, type ChatErrorCode } from './chat-error';
export type { ChatEvents, ConnectionState, RoomEvent, ThreadUpdate } from './events';
export type { ChatClientOptions } from './options';
export type { BackoffPolicy } from './backoff';
export type { Ack } from './outbox';
export type { WebSocketConstructor, WebSocketLike } from './frame-socket';
export type { ChatMessage } from '@chat/contracts';
