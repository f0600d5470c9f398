import type { ResumeItem } from '../rooms/resume';

/** Frames kept per room: a client back after a dropped connection is rarely further behind. */
const FRAMES_PER_ROOM = 500;
/** Frames kept over all rooms (a few MB): past it, the rooms longest without a frame lose theirs. */
const FRAMES_IN_ALL = 25_000;

/**
 * The frames this gateway published to each room lately, in publish order. A client that joins
 * again after a dropped connection (to this gateway or from another one) is usually only seconds
 * behind: what it missed is here, so its resume is served at once, without a history read that
 * a reconnect storm would queue behind thousands of others (RELIABILITY.md, finding 1).
 */
export class RecentFrames {
  /** In order of the latest frame: the first room is the one longest without one. */
  private readonly rooms = new Map<string, ResumeItem[]>();
  private total = 0;

  constructor(
    private readonly perRoom: number = FRAMES_PER_ROOM,
    private readonly inAll: number = FRAMES_IN_ALL,
  ) {}

  get size(): number {
    return this.total;
  }

  add(roomId: string, item: ResumeItem): void {
    const frames = this.rooms.get(roomId) ?? [];
    this.rooms.delete(roomId);
    this.rooms.set(roomId, frames);
    frames.push(item);
    this.total++;
    for (const [oldest, kept] of this.rooms) {
      if (this.total <= this.inAll || kept === frames) break;
      this.forget(oldest);
    }
    while (frames.length > 1 && (frames.length > this.perRoom || this.total > this.inAll)) {
      frames.shift();
      this.total--;
    }
  }

  /**
   * Every frame published after the room's message `seq`, or null when that message is no longer
   * (or not yet) among the frames kept: then only history can tell what came after it.
   */
  after(roomId: string, seq: number): ResumeItem[] | null {
    const frames = this.rooms.get(roomId);
    const index = frames?.findLastIndex((item) => item.seq === seq) ?? -1;
    return index === -1 ? null : frames!.slice(index + 1);
  }

  clear(): void {
    this.rooms.clear();
    this.total = 0;
  }

  forget(roomId: string): void {
    this.total -= this.rooms.get(roomId)?.length ?? 0;
    this.rooms.delete(roomId);
  }
}
