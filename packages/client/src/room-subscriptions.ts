import type { ChatMessage, ClientFrameOf } from './wire';
import { RoomSequencer } from './room-sequencer';

export type RoomRequest = ClientFrameOf<'join_room'> | ClientFrameOf<'leave_room'>;

/**
 * The rooms the app wants to be in, reconciled with what the current connection has confirmed.
 * After a reconnect nothing is confirmed, so every wanted room is joined again from the last seq
 * it delivered. A refused join or leave is answered with an error whose `ref` names only the
 * frame type, not the room, so requests go out one at a time: an answer always belongs to the
 * request in flight.
 */
export class RoomSubscriptions {
  private readonly wanted = new Map<string, RoomSequencer>();
  private readonly leaving = new Set<string>();
  private readonly confirmed = new Set<string>();
  private inFlight: RoomRequest | null = null;
  private retries = 0;

  join(roomId: string): void {
    this.leaving.delete(roomId);
    if (!this.wanted.has(roomId)) this.wanted.set(roomId, new RoomSequencer());
    // Already joined on this connection: ask again, so the caller gets a fresh `room_joined`.
    this.confirmed.delete(roomId);
  }

  leave(roomId: string): void {
    this.forget(roomId);
    this.leaving.add(roomId);
  }

  /** The request to write next, now marked in flight; null while one is in flight or none is due. */
  next(): RoomRequest | null {
    if (this.inFlight) return null;
    for (const [roomId, sequencer] of this.wanted) {
      if (this.confirmed.has(roomId)) continue;
      const lastSeq = sequencer.lastDelivered;
      this.inFlight = {
        type: 'join_room',
        room_id: roomId,
        ...(lastSeq === null ? {} : { last_seq: lastSeq }),
      };
      return this.inFlight;
    }
    const [roomId] = this.leaving;
    this.inFlight = roomId === undefined ? null : { type: 'leave_room', room_id: roomId };
    return this.inFlight;
  }

  /** `room_joined`. Returns the messages that arrived before the room's starting point was known. */
  joined(roomId: string, lastSeq: number): ChatMessage[] {
    if (this.isInFlight('join_room', roomId)) this.settle();
    const sequencer = this.wanted.get(roomId);
    if (!sequencer) return [];
    this.confirmed.add(roomId);
    return sequencer.start(lastSeq);
  }

  /** `room_left`: the answer to a leave, or the server ending the membership on its own. */
  left(roomId: string): void {
    if (this.isInFlight('leave_room', roomId)) {
      // The app may have asked to join again meanwhile: only the leave is done.
      this.settle();
      this.leaving.delete(roomId);
      this.confirmed.delete(roomId);
    } else {
      this.forget(roomId);
    }
  }

  /** Stops tracking a room: deleted, or the user was removed from it. */
  forget(roomId: string): void {
    this.wanted.delete(roomId);
    this.leaving.delete(roomId);
    this.confirmed.delete(roomId);
  }

  /** The request in flight if it is of this type: the one a refusal with that `ref` answers. */
  inFlightOf(type: RoomRequest['type']): RoomRequest | null {
    return this.inFlight?.type === type ? this.inFlight : null;
  }

  /**
   * A retryable refusal: the request stays in flight (holding back the others) until `retry()`.
   * Returns the backoff attempt number.
   */
  refusedForNow(): number {
    return this.retries++;
  }

  /** Lets the request held by `refusedForNow` go out again. */
  retry(): void {
    this.inFlight = null;
  }

  /** A final refusal: the app's wish cannot be met, so stop pursuing it. */
  refusedForGood(): void {
    if (!this.inFlight) return;
    const roomId = this.inFlight.room_id;
    if (this.inFlight.type === 'join_room') this.wanted.delete(roomId);
    else this.leaving.delete(roomId);
    this.settle();
  }

  /** The room's in-order, deduplicated messages that `message` makes deliverable. */
  accept(message: ChatMessage): ChatMessage[] {
    return this.wanted.get(message.room_id)?.accept(message) ?? [];
  }

  hasGap(roomId: string): boolean {
    return this.wanted.get(roomId)?.hasGap ?? false;
  }

  /** The connection ended: nothing is confirmed any more and no answer is coming. */
  connectionLost(): void {
    this.confirmed.clear();
    this.inFlight = null;
  }

  private isInFlight(type: RoomRequest['type'], roomId: string): boolean {
    return this.inFlight?.type === type && this.inFlight.room_id === roomId;
  }

  private settle(): void {
    this.inFlight = null;
    this.retries = 0;
  }
}
