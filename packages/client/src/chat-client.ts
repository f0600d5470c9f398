import {
  MAX_CONTENT_LENGTH,
  type AccountExport,
  type ChatMessage,
  type ClientFrameOf,
  type DirectRoom,
  type Erasure,
  type VerifiedFile,
  type ServerFrame,
  type ServerFrameOf,
} from './wire';
import { backoffDelay } from './backoff';
import { ChatError, isRetryable } from './chat-error';
import { Emitter } from './emitter';
import type { ChatEvents, ConnectionState } from './events';
import { FrameSocket } from './frame-socket';
import { Heartbeat } from './heartbeat';
import { resolveOptions, type ChatClientOptions, type ResolvedOptions } from './options';
import { Outbox, type Ack, type SendFrame } from './outbox';
import {
  eraseAccount,
  exportAccount,
  openDirectRoom,
  requestJson,
  uploadFile,
  type FileUpload,
} from './rest';
import { PendingReactions, type ReactFrame, type ReactionAck } from './pending-reactions';
import { RoomSubscriptions, type RoomRequest } from './room-subscriptions';
import { Timers } from './timers';
import { Waiters } from './waiters';

export interface JoinResult {
  /** The room's newest seq when it was joined (0: empty); older messages are history. */
  last_seq: number;
}

const withoutType = <T extends { type: string }>({ type: _type, ...rest }: T): Omit<T, 'type'> => rest;
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sendTimer = (clientMsgId: string) => `send:${clientMsgId}`;
const gapTimer = (roomId: string) => `gap:${roomId}`;
const reactTimer = (ref: string) => `react:${ref}`;

/**
 * A chat connection that survives the network: it reconnects with backoff, resumes every joined
 * room from the last seq it delivered, and keeps sends until the server acknowledges them.
 */
export class ChatClient extends Emitter<ChatEvents> {
  private readonly options: ResolvedOptions;
  private readonly outbox = new Outbox();
  private readonly reactions = new PendingReactions();
  private readonly rooms = new RoomSubscriptions();
  private readonly joins = new Waiters<JoinResult>();
  private readonly leaves = new Waiters<void>();
  /** Timers that die with a connection: ack timeouts, retries, gap watches. */
  private readonly timers = new Timers();
  private socket: FrameSocket | null = null;
  private heartbeat: Heartbeat | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private failedAttempts = 0;
  private currentState: ConnectionState = 'idle';
  private closedBy: ChatError | null = null;
  private currentUserId: string | null = null;
  /** The highest seq marked read per room, written again on every connection. */
  private readonly readMarks = new Map<string, number>();
  /** The status the app set, written again on every connection. */
  private presence: ClientFrameOf<'presence_update'>['status'] | null = null;

  constructor(options: ChatClientOptions) {
    super();
    this.options = resolveOptions(options);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The authenticated user; null until the first connection is open. */
  get userId(): string | null {
    return this.currentUserId;
  }

  /**
   * Starts connecting (the first call only). Resolves once the connection is open; keeps trying
   * through network failures, and rejects only if the client closes first.
   */
  connect(): Promise<void> {
    if (this.currentState === 'idle') {
      this.setState('connecting');
      void this.openSocket();
    }
    return this.whenOpen();
  }

  /** Closes for good. Unanswered sends, joins and leaves reject with code `closed`. */
  close(): void {
    this.shutdown(new ChatError('closed', 'The client was closed.'));
  }

  /** Joins a room, now or as soon as the client is connected; it is re-joined after every reconnect. */
  join(roomId: string): Promise<JoinResult> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    this.leaves.reject(
      roomId,
      new ChatError('cancelled', 'Joined again before the leave completed.', roomId),
    );
    const joined = this.joins.wait(roomId);
    this.rooms.join(roomId);
    this.pumpRooms();
    return joined;
  }

  leave(roomId: string): Promise<void> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    this.joins.reject(roomId, new ChatError('cancelled', 'Left before the join completed.', roomId));
    const left = this.leaves.wait(roomId);
    this.rooms.leave(roomId);
    this.pumpRooms();
    return left;
  }

  /**
   * Sends a text message, now or once connected. It is written again with the same
   * `client_msg_id` after a reconnect, an ack timeout or a retryable error, and the server stores
   * it once. Resolves with the ack; rejects with a ChatError on a final refusal.
   */
  send(roomId: string, content: string): Promise<Ack> {
    return this.post(roomId, content);
  }

  /**
   * Replies in the thread of `threadId`, a message of the room (a reply's id means its root), as
   * `send` sends. The ack and the reply's `message` carry the root's id as `thread_id`; an unknown
   * or deleted message is refused with `message_not_found`.
   */
  reply(roomId: string, threadId: string, content: string): Promise<Ack> {
    return this.post(roomId, content, threadId);
  }

  private post(roomId: string, content: string, threadId?: string): Promise<Ack> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    // Past the gateway's hard frame limit a frame is not even read: the socket is dropped, which
    // looks like any network failure. Re-sent after every reconnect, such a send would loop
    // forever, so content the contract refuses anyway is refused here.
    if (content.length > MAX_CONTENT_LENGTH) {
      return Promise.reject(
        new ChatError('content_too_long', `Messages are limited to ${MAX_CONTENT_LENGTH} characters.`),
      );
    }
    const frame: SendFrame = {
      type: 'send_message',
      room_id: roomId,
      content,
      message_type: 'text',
      client_msg_id: crypto.randomUUID(),
      ...(threadId === undefined ? {} : { thread_id: threadId }),
    };
    return this.enqueue(frame);
  }

  /**
   * Sends an MLS message to an end-to-end encrypted room, as `send` sends text (the encrypted-room
   * layer, `@chat/client/mls`, makes the bytes). `clientMsgId` lets the caller recognise its own
   * message when the room delivers it.
   */
  sendMls(
    roomId: string,
    mls: Pick<ClientFrameOf<'send_message'>, 'mls' | 'mls_commit'>,
    clientMsgId: string = crypto.randomUUID(),
  ): Promise<Ack> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    return this.enqueue({ type: 'send_message', room_id: roomId, client_msg_id: clientMsgId, ...mls });
  }

  /** A REST call to the platform with the user's token; a refusal rejects with its ChatError. */
  async request<T extends object>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.options.apiUrl, await this.restToken(), method, path, body);
  }

  private enqueue(frame: SendFrame): Promise<Ack> {
    const acked = this.outbox.add(frame);
    this.write(frame);
    return acked;
  }

  /**
   * Uploads a file for a room (the user must be a member) and resolves once the server verified
   * it; `shareFile` then posts it. The upload is not retried: call again on a retryable ChatError.
   */
  async uploadFile(roomId: string, file: FileUpload): Promise<VerifiedFile> {
    return uploadFile(this.options.apiUrl, await this.restToken(), roomId, file);
  }

  /** Posts an uploaded file to its room as a message of type `file`; delivered as `send` delivers. */
  shareFile(roomId: string, file: VerifiedFile): Promise<Ack> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    return this.enqueue({
      type: 'share_file',
      room_id: roomId,
      file_url: file.file_url,
      file_name: file.file_name,
      file_size: file.size,
      client_msg_id: crypto.randomUUID(),
    });
  }

  /**
   * Tells a joined room's members the user is typing (`start`, repeated at least every 3 s while
   * typing) or stopped (`stop`; an indicator also ends by itself 5 s after the last `start`).
   * Only while connected: a typing signal is stale by the time a connection reopens.
   */
  typing(roomId: string, state: ClientFrameOf<'typing'>['state'] = 'start'): void {
    if (this.currentState === 'open') this.socket?.send({ type: 'typing', room_id: roomId, state });
  }

  /**
   * Sets the status the members of the user's rooms see (`offline`: appear offline), now or once
   * connected, and again on every reconnect; it lasts while the user has a connection.
   */
  setPresence(status: ClientFrameOf<'presence_update'>['status']): void {
    if (this.closedBy) return;
    this.presence = status;
    if (this.currentState === 'open') this.socket?.send({ type: 'presence_update', status });
  }

  /**
   * Opens the direct room with a user (oneself: notes to self), or finds it open: the same pair
   * always has the same room. Both users' connected clients hear `room_added`; join it to chat.
   */
  async openDirect(userId: string): Promise<DirectRoom> {
    return openDirectRoom(this.options.apiUrl, await this.restToken(), userId);
  }

  /** Everything the platform holds about the user (GDPR export), as one document. */
  async exportMe(): Promise<AccountExport> {
    return exportAccount(this.options.apiUrl, await this.restToken());
  }

  /**
   * Erases the user's data for good (GDPR erasure): their messages become tombstones, the rest is
   * deleted; the server closes this client's socket (4008) and refuses the user from then on.
   */
  async eraseMe(): Promise<Erasure> {
    return eraseAccount(this.options.apiUrl, await this.restToken());
  }

  private async restToken(): Promise<string> {
    if (this.closedBy) throw this.closedBy;
    try {
      return await this.options.token();
    } catch (error) {
      throw new ChatError('unavailable', `Could not get a token: ${reasonOf(error)}`);
    }
  }

  /**
   * Adds the user's reaction with one emoji (or `:short_code:`) to a message, now or once
   * connected. Resolves with the emoji's count once stored — also when it was there already;
   * rejects with a ChatError on a final refusal (e.g. `invalid_emoji`, `too_many_reactions`).
   */
  react(roomId: string, messageId: string, emoji: string): Promise<ReactionAck> {
    return this.sendReaction(roomId, messageId, emoji, 'add');
  }

  /** Removes the user's reaction; resolves as well when there was none. */
  unreact(roomId: string, messageId: string, emoji: string): Promise<ReactionAck> {
    return this.sendReaction(roomId, messageId, emoji, 'remove');
  }

  private sendReaction(
    roomId: string,
    messageId: string,
    emoji: string,
    action: ReactFrame['action'],
  ): Promise<ReactionAck> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    const frame: ReactFrame = {
      type: 'react',
      room_id: roomId,
      message_id: messageId,
      emoji,
      action,
      client_msg_id: crypto.randomUUID(),
    };
    const answered = this.reactions.add(frame);
    // Until then the frame waits with the pending reactions, written when the connection opens.
    if (this.currentState === 'open') this.socket?.send(frame);
    return answered;
  }

  /**
   * Marks a room read up to `seq`: the server clears its unread count (an `unread` event on every
   * device of the user) and, unless the user turned receipts off, tells the room's members
   * (`receipt` events). Written now or once connected, and again after every reconnect — harmless,
   * as a read mark never moves back. A refusal (`seq_out_of_range`, `not_member`) is an `error` event.
   */
  markRead(roomId: string, seq: number): void {
    if (this.closedBy) return;
    if (seq <= (this.readMarks.get(roomId) ?? 0)) return;
    this.readMarks.set(roomId, seq);
    if (this.currentState === 'open') this.socket?.send({ type: 'mark_read', room_id: roomId, seq });
  }

  private async openSocket(): Promise<void> {
    let token: string;
    try {
      token = await this.options.token();
    } catch (error) {
      this.emit('error', new ChatError('unavailable', `Could not get a token: ${reasonOf(error)}`));
      return this.reconnectLater();
    }
    if (this.closedBy) return;
    try {
      this.socket = new FrameSocket(this.options.WebSocket, this.options.url, {
        onOpen: () => this.socket?.send({ type: 'authenticate', token }),
        onFrame: (frame) => this.receive(frame),
        onClose: () => this.onSocketClosed(),
      });
    } catch (error) {
      // The WebSocket constructor throws only for an unusable URL, which no retry will fix.
      this.shutdown(
        new ChatError('invalid_request', `Cannot connect to ${this.options.url}: ${reasonOf(error)}`),
      );
    }
  }

  private receive(frame: ServerFrame): void {
    this.heartbeat?.heard();
    switch (frame.type) {
      case 'authenticated':
        return this.onAuthenticated(frame);
      case 'message':
        return this.onMessage(withoutType(frame));
      case 'ack':
        return this.onAck(withoutType(frame));
      case 'reaction_ack':
        this.reactions.confirm(withoutType(frame));
        return;
      case 'reaction':
        return this.emit('reaction', withoutType(frame));
      case 'error':
        return this.onError(frame);
      case 'room_joined':
        return this.onRoomJoined(frame);
      case 'room_left':
        this.rooms.left(frame.room_id);
        this.leaves.resolve(frame.room_id, undefined);
        this.pumpRooms();
        return this.emit('room', frame);
      case 'room_deleted':
        this.rooms.forget(frame.room_id);
        return this.emit('room', frame);
      case 'member_left':
        if (frame.user_id === this.currentUserId) this.rooms.forget(frame.room_id);
        return this.emit('room', frame);
      case 'member_joined':
      case 'room_updated':
        return this.emit('room', frame);
      case 'room_added':
        return this.emit('room_added', withoutType(frame));
      case 'mls_welcome':
        return this.emit('mls_welcome', withoutType(frame));
      case 'thread_updated':
        return this.emit('thread_updated', withoutType(frame));
      case 'receipt':
        return this.emit('receipt', withoutType(frame));
      case 'unread':
        return this.emit('unread', withoutType(frame));
      case 'presence':
        return this.emit('presence', withoutType(frame));
      case 'typing':
        return this.emit('typing', withoutType(frame));
      case 'message_edited':
        return this.emit('message_edited', withoutType(frame));
      case 'message_deleted':
        return this.emit('message_deleted', withoutType(frame));
      case 'history_expired':
        return this.emit('history_expired', withoutType(frame));
      case 'pong':
        return;
    }
  }

  private onAuthenticated(frame: ServerFrameOf<'authenticated'>): void {
    this.currentUserId = frame.user_id;
    this.failedAttempts = 0;
    this.heartbeat?.stop();
    this.heartbeat = new Heartbeat(
      this.options.heartbeatMs ?? frame.heartbeat_interval * 1_000,
      () => this.socket?.send({ type: 'ping', ts: Date.now() }),
      () => this.dropConnection(),
    );
    this.heartbeat.start();
    // Open before telling the app, so a send made by a 'state' listener is written once, not twice.
    this.currentState = 'open';
    this.pumpRooms();
    for (const frame of this.outbox.frames()) this.write(frame);
    for (const frame of this.reactions.frames()) this.socket?.send(frame);
    for (const [room_id, seq] of this.readMarks) this.socket?.send({ type: 'mark_read', room_id, seq });
    if (this.presence) this.socket?.send({ type: 'presence_update', status: this.presence });
    this.emit('state', 'open');
  }

  private onMessage(message: ChatMessage): void {
    for (const ready of this.rooms.accept(message)) this.emit('message', ready);
    this.watchForGap(message.room_id);
  }

  private watchForGap(roomId: string): void {
    if (!this.rooms.hasGap(roomId)) return this.timers.clear(gapTimer(roomId));
    if (!this.timers.has(gapTimer(roomId))) {
      this.timers.set(gapTimer(roomId), this.options.gapTimeoutMs, () => this.dropConnection());
    }
  }

  private onAck(ack: Ack): void {
    if (ack.client_msg_id === null || !this.outbox.confirm(ack)) return;
    this.timers.clear(sendTimer(ack.client_msg_id));
  }

  private onRoomJoined({ room_id, last_seq }: ServerFrameOf<'room_joined'>): void {
    for (const message of this.rooms.joined(room_id, last_seq)) this.emit('message', message);
    this.watchForGap(room_id);
    this.joins.resolve(room_id, { last_seq });
    this.pumpRooms();
  }

  /** An error's `ref` names what it refuses: a send's client_msg_id, else the refused frame's type. */
  private onError({ code, message, ref, retry_after_ms }: ServerFrameOf<'error'>): void {
    const error = new ChatError(code, message, undefined, retry_after_ms);
    // An oversized frame is refused unread, so its error cannot name it. The largest pending send
    // is certainly too large as well: it is the one that can never be delivered.
    const refused = ref ?? (code === 'frame_too_large' ? this.outbox.largest() : undefined);
    const send = refused === undefined ? undefined : this.outbox.get(refused);
    if (send) return this.onSendRefused(send, error);
    const reaction = ref === null ? undefined : this.reactions.get(ref);
    if (reaction) return this.onReactionRefused(reaction, error);
    if (ref === 'join_room' || ref === 'leave_room') return this.onRoomRefused(ref, error);
    if (ref === 'authenticate' && this.currentState !== 'open') return this.onAuthenticationRefused(error);
    this.emit('error', error);
  }

  private onSendRefused(frame: SendFrame, error: ChatError): void {
    const { client_msg_id: clientMsgId } = frame;
    if (!isRetryable(error.code)) {
      this.timers.clear(sendTimer(clientMsgId));
      this.outbox.fail(clientMsgId, error);
      return;
    }
    const backoff = backoffDelay(this.outbox.countRetry(clientMsgId), this.options.backoff);
    const delay = Math.max(backoff, error.retryAfterMs ?? 0);
    this.timers.set(sendTimer(clientMsgId), delay, () => this.write(frame));
  }

  private onReactionRefused(frame: ReactFrame, error: ChatError): void {
    const ref = frame.client_msg_id;
    if (!isRetryable(error.code)) return this.reactions.fail(ref, error);
    const backoff = backoffDelay(this.reactions.countRetry(ref), this.options.backoff);
    const delay = Math.max(backoff, error.retryAfterMs ?? 0);
    this.timers.set(reactTimer(ref), delay, () => this.socket?.send(frame));
  }

  private onRoomRefused(type: RoomRequest['type'], error: ChatError): void {
    const request = this.rooms.inFlightOf(type);
    if (!request) return this.emit('error', error);
    if (isRetryable(error.code)) {
      const backoff = backoffDelay(this.rooms.refusedForNow(), this.options.backoff);
      const delay = Math.max(backoff, error.retryAfterMs ?? 0);
      return this.timers.set('rooms', delay, () => {
        this.rooms.retry();
        this.pumpRooms();
      });
    }
    const roomId = request.room_id;
    if (request.type === 'leave_room' && (error.code === 'not_member' || error.code === 'room_not_found')) {
      // Not being in the room is all a leave asks for.
      this.rooms.left(roomId);
      this.leaves.resolve(roomId, undefined);
    } else {
      this.rooms.refusedForGood();
      const refusal = new ChatError(error.code, error.message, roomId);
      const waiters = request.type === 'join_room' ? this.joins : this.leaves;
      // Nobody waiting: a re-join after a reconnect, e.g. of a room deleted meanwhile.
      if (!waiters.reject(roomId, refusal)) this.emit('error', refusal);
    }
    this.pumpRooms();
  }

  private onAuthenticationRefused(error: ChatError): void {
    this.emit('error', error);
    // A busy server or a full connection quota can clear up; a bad token will not.
    if (isRetryable(error.code) || error.code === 'too_many_connections') this.dropConnection();
    else this.shutdown(error);
  }

  private onSocketClosed(): void {
    this.endConnection();
    this.reconnectLater();
  }

  /** Gives up on a connection that went silent or lost messages, and reconnects. */
  private dropConnection(): void {
    this.socket?.abandon();
    this.endConnection();
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closedBy) return;
    this.setState('reconnecting');
    const delay = backoffDelay(this.failedAttempts++, this.options.backoff);
    this.reconnectTimer = setTimeout(() => void this.openSocket(), delay);
  }

  /** Forgets everything tied to the current connection; what the app asked for stays. */
  private endConnection(): void {
    this.socket = null;
    this.heartbeat?.stop();
    this.heartbeat = null;
    this.timers.clearAll();
    this.rooms.connectionLost();
  }

  private shutdown(reason: ChatError): void {
    if (this.closedBy) return;
    this.closedBy = reason;
    clearTimeout(this.reconnectTimer);
    this.socket?.abandon();
    this.endConnection();
    this.outbox.failAll(reason);
    this.reactions.failAll(reason);
    this.joins.rejectAll(reason);
    this.leaves.rejectAll(reason);
    this.setState('closed');
  }

  /** Writes a send, and writes it again if no answer comes in time. */
  private write(frame: SendFrame): void {
    // Until then the frame waits in the outbox, which is flushed when the connection opens.
    if (this.currentState !== 'open') return;
    this.socket?.send(frame);
    this.timers.set(sendTimer(frame.client_msg_id), this.options.ackTimeoutMs, () => this.write(frame));
  }

  private pumpRooms(): void {
    if (this.currentState !== 'open') return;
    const request = this.rooms.next();
    if (request) this.socket?.send(request);
  }

  private whenOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closedBy) return reject(this.closedBy);
      if (this.currentState === 'open') return resolve();
      const stop = this.on('state', (state) => {
        if (state === 'open') resolve();
        else if (state === 'closed') reject(this.closedBy);
        else return;
        stop();
      });
    });
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit('state', state);
  }
}
