/** How long a `start` shows without being renewed; the server sends `stop` 5 s after the last one. */
export const TYPING_SHOWN_MS = 6_000;

/** Who is typing in each room, each until `stop` or until their last `start` is too old. */
export class TypingTracker {
  private readonly since = new Map<string, Map<string, number>>();

  update(roomId: string, userId: string, state: 'start' | 'stop', now: number): void {
    const room = this.since.get(roomId) ?? new Map<string, number>();
    if (state === 'start') room.set(userId, now);
    else room.delete(userId);
    this.since.set(roomId, room);
  }

  typing(roomId: string, now: number): string[] {
    const room = this.since.get(roomId);
    if (!room) return [];
    return [...room]
      .filter(([, at]) => now - at < TYPING_SHOWN_MS)
      .map(([userId]) => userId)
      .sort();
  }
}

/** "alice is typing…", "alice and bob are typing…", "3 people are typing…". */
export const typingText = (users: readonly string[]): string => {
  if (users.length === 0) return '';
  if (users.length === 1) return `${users[0]} is typing…`;
  if (users.length === 2) return `${users[0]} and ${users[1]} are typing…`;
  return `${users.length} people are typing…`;
};
