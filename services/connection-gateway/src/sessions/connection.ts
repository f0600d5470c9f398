import type { Principal } from '@chat/runtime';
import type { WebSocket } from 'uWebSockets.js';
import type { RoomResume } from '../rooms/resume';
import { FrameQueue } from '../server/frame-queue';

/** Everything the gateway knows about one socket. Lives in the socket's user data. */
export interface Connection {
  readonly id: string;
  readonly remoteAddress: string;
  ws: WebSocket<SocketData> | null;
  principal: Principal | null;
  /** Rooms whose topic this socket is subscribed to. */
  readonly rooms: Set<string>;
  /** Rooms being resumed: joined, but not yet on the live topic. */
  readonly resumes: Map<string, RoomResume>;
  closed: boolean;
  /** Heard from (a frame or a pong) since the last heartbeat round: it is announced alive. */
  heard: boolean;
  /** When a typing `start` last went out, per room; absent once stopped. */
  readonly typing: Map<string, number>;
  /** The frames received, in order: each starts once the one before it ended its turn. */
  readonly frames: FrameQueue;
  /** Frames refused since the last one accepted: too many in a row close the connection. */
  refusedInARow: number;
  authDeadline: NodeJS.Timeout | null;
  tokenExpiry: NodeJS.Timeout | null;
}

export interface SocketData {
  connection: Connection;
}

export const newConnection = (id: string, remoteAddress: string): Connection => ({
  id,
  remoteAddress,
  ws: null,
  principal: null,
  rooms: new Set(),
  resumes: new Map(),
  closed: false,
  heard: false,
  typing: new Map(),
  frames: new FrameQueue(),
  refusedInARow: 0,
  authDeadline: null,
  tokenExpiry: null,
});

export const roomTopic = (roomId: string) => `room:${roomId}`;
export const userTopic = (userId: string) => `user:${userId}`;
