import {
  RoomStreamPrefix,
  type ChatMessage,
  type EventOf,
  type EventRecord,
  type ServerFrame,
} from '@chat/contracts';
import type { TemplatedApp } from 'uWebSockets.js';
import type { GatewayMetrics } from '../metrics';
import { RoomResume, type ResumeItem } from '../rooms/resume';
import { roomTopic, type Connection } from '../sessions/connection';
import type { Outbox } from '../sessions/outbox';
import { frameOf } from './event-frames';
import { RecentFrames } from './recent-frames';

interface RoomProgress {
  /** Last stream revision published: the relay delivers at least once, so repeats are dropped. */
  revision: number;
  /** Newest message seq published to the room's topic by this gateway. */
  seq: number;
}

/**
 * Events that change messages published earlier: a replay of the room's recent frames would show
 * what they changed (deleted or expired content among it), so those are dropped, and a resume
 * reads history instead, which shows each message as it now is.
 */
const REWRITES_HISTORY = new Set(['MessageEdited', 'MessageDeleted', 'RoomHistoryExpired', 'RoomDeleted']);

/** Rooms whose progress is kept: beyond, rooms no socket here is in are forgotten, oldest first. */
const ROOMS_TRACKED = 10_000;

/**
 * Room events → room topics. Keeps, per room, how far this gateway has published, which of its
 * sockets are subscribed, and the resumes in progress that must see every publish. Every event of
 * every room passes here, so the progress of rooms nobody here is in is bounded: past
 * `maxRooms`, the least recently published of them is forgotten. A room forgotten reads as never
 * published, which is what a join decided after its last message needs; a relay repeat of its old
 * events reaches no socket here.
 */
export class RoomFanout {
  /** In order of the latest publish: the first entry is the room longest without one. */
  private readonly progress = new Map<string, RoomProgress>();
  private readonly members = new Map<string, Set<Connection>>();

  constructor(
    private readonly app: TemplatedApp,
    private readonly outbox: Outbox,
    private readonly metrics: GatewayMetrics,
    private readonly maxRooms: number = ROOMS_TRACKED,
    private readonly recent: RecentFrames = new RecentFrames(),
  ) {}

  /** Rooms whose progress is kept. */
  get roomsTracked(): number {
    return this.progress.size;
  }

  publishedSeq(roomId: string): number {
    return this.progress.get(roomId)?.seq ?? 0;
  }

  /** Handles one relayed event; returns false when it was a repeat. */
  publishEvent(event: EventRecord): boolean {
    const roomId = event.stream.slice(RoomStreamPrefix.length);
    const last = this.progress.get(roomId);
    if (last && event.revision <= last.revision) return false;
    const frame = frameOf(event);
    const seq = frame?.type === 'message' ? frame.seq : null;
    this.progress.delete(roomId);
    this.progress.set(roomId, { revision: event.revision, seq: seq ?? last?.seq ?? 0 });
    this.forgetIdleRooms();
    if (frame) this.publishFrame(roomId, frame, seq);
    if (REWRITES_HISTORY.has(event.type)) this.recent.forget(roomId);
    if (frame?.type === 'message')
      this.metrics.deliverySeconds.observe((Date.now() - Date.parse(frame.created_at)) / 1000);
    this.applyMembership(roomId, event);
    return true;
  }

  /** Forgets the rooms longest without a publish that nobody here is in; rooms in use go to the back. */
  private forgetIdleRooms() {
    // Each room is looked at once: the ones moved to the back come round again only next time.
    let unvisited = this.progress.size;
    for (const [roomId, progress] of this.progress) {
      if (this.progress.size <= this.maxRooms || unvisited-- === 0) return;
      this.progress.delete(roomId);
      if (this.members.has(roomId)) this.progress.set(roomId, progress);
      // A room forgotten takes relay repeats of its old events as new: its recent frames go with it.
      else this.recent.forget(roomId);
    }
  }

  private publishFrame(roomId: string, frame: ServerFrame, seq: number | null) {
    const text = JSON.stringify(frame);
    this.app.publish(roomTopic(roomId), text, false);
    this.metrics.published.inc();
    this.recent.add(roomId, { seq, frame: text });
    for (const connection of this.members.get(roomId) ?? []) {
      connection.resumes.get(roomId)?.onLive({ seq, frame: text });
    }
  }

  private applyMembership(roomId: string, event: EventRecord) {
    if (event.type === 'MemberLeft' || event.type === 'MemberBanned') {
      const left = event.data as EventOf<'MemberLeft'>['data'] | EventOf<'MemberBanned'>['data'];
      const reason =
        'banned_by' in left ? 'banned' : left.removed_by === left.user_id ? undefined : 'removed';
      for (const connection of [...(this.members.get(roomId) ?? [])]) {
        if (connection.principal?.userId === left.user_id) this.leave(connection, roomId, true, reason);
      }
    } else if (event.type === 'RoomDeleted') {
      for (const connection of [...(this.members.get(roomId) ?? [])]) this.leave(connection, roomId, false);
    }
  }

  /**
   * A frame that is not part of the room's history (typing), to the room's topic. With `except`,
   * a socket of this gateway, every subscriber but that one gets it.
   */
  publishToRoom(roomId: string, frame: ServerFrame, except?: Connection): void {
    const text = JSON.stringify(frame);
    if (except?.ws && !except.closed) except.ws.publish(roomTopic(roomId), text, false);
    else this.app.publish(roomTopic(roomId), text, false);
    this.metrics.published.inc();
  }

  /** This gateway's sockets subscribed to any of the rooms, each once. */
  subscribersOf(roomIds: Iterable<string>): Set<Connection> {
    const subscribers = new Set<Connection>();
    for (const roomId of roomIds) {
      for (const connection of this.members.get(roomId) ?? []) {
        if (connection.rooms.has(roomId)) subscribers.add(connection);
      }
    }
    return subscribers;
  }

  /**
   * Serves a resume from the frames this gateway published lately, when they reach back to the
   * client's message `lastSeq`: sends everything the room published after it (edits and
   * membership changes too, as a subscriber got them). Returns the seq the connection now has —
   * subscribe it in the same turn, so nothing published meanwhile is missed — or null when only
   * history can serve it.
   */
  replayRecent(connection: Connection, roomId: string, lastSeq: number): number | null {
    const missed = this.recent.after(roomId, lastSeq);
    if (!missed || connection.closed) return null;
    for (const { frame } of missed) this.outbox.sendRaw(connection, frame, 'message');
    this.metrics.resumesFromRecent.inc();
    return this.publishedSeq(roomId);
  }

  /** Drops every room's recent frames (a user's erasure: whatever they wrote is no longer replayed). */
  forgetRecentFrames(): void {
    this.recent.clear();
  }

  /** Opens a resume for a connection that joined; it is not on the topic until it completes. */
  beginResume(connection: Connection, roomId: string, lastSeq: number, headSeq: number): RoomResume {
    const resume = new RoomResume(roomId, lastSeq, headSeq);
    connection.resumes.set(roomId, resume);
    this.track(connection, roomId);
    return resume;
  }

  /** Applies a history page; returns the resume if it needs another page, else null. */
  applyPage(
    connection: Connection,
    roomId: string,
    messages: ChatMessage[],
  ): { afterSeq: number; progressed: boolean } | null {
    const resume = connection.resumes.get(roomId);
    if (!resume || connection.closed) return null;
    const page: ResumeItem[] = messages.map((message) => ({
      seq: message.seq,
      frame: JSON.stringify({ type: 'message', ...message }),
    }));
    const verdict = resume.onPage(page, this.publishedSeq(roomId));
    for (const frame of verdict.send) this.outbox.sendRaw(connection, frame, 'message');
    if (!verdict.done) return { afterSeq: verdict.afterSeq, progressed: verdict.progressed };
    connection.resumes.delete(roomId);
    this.subscribe(connection, roomId);
    return null;
  }

  abandonResume(connection: Connection, roomId: string): void {
    connection.resumes.delete(roomId);
    if (!connection.rooms.has(roomId)) this.untrack(connection, roomId);
  }

  /** Subscribes at once (no history owed), e.g. a repeated join of a room already live. */
  subscribe(connection: Connection, roomId: string): void {
    if (connection.closed || !connection.ws) return;
    connection.ws.subscribe(roomTopic(roomId));
    connection.rooms.add(roomId);
    this.track(connection, roomId);
  }

  /**
   * Takes a connection off a room; tells it with `room_left` when it is the one leaving, and why
   * when a moderator removed or banned it.
   */
  leave(connection: Connection, roomId: string, notify: boolean, reason?: 'removed' | 'banned'): void {
    connection.resumes.delete(roomId);
    if (connection.rooms.delete(roomId) && !connection.closed) connection.ws?.unsubscribe(roomTopic(roomId));
    this.untrack(connection, roomId);
    if (notify)
      this.outbox.send(connection, { type: 'room_left', room_id: roomId, ...(reason ? { reason } : {}) });
  }

  /** Forgets a closed connection (uWS drops its topic subscriptions itself). */
  forget(connection: Connection): void {
    for (const roomId of new Set([...connection.rooms, ...connection.resumes.keys()]))
      this.untrack(connection, roomId);
  }

  private track(connection: Connection, roomId: string) {
    const set = this.members.get(roomId) ?? new Set<Connection>();
    set.add(connection);
    this.members.set(roomId, set);
  }

  private untrack(connection: Connection, roomId: string) {
    const set = this.members.get(roomId);
    set?.delete(connection);
    if (set?.size === 0) this.members.delete(roomId);
  }
}
