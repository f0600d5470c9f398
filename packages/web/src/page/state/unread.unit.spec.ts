import { describe, expect, it } from 'vitest';
import { UnreadCounter } from './unread';

describe('unread counts', () => {
  it("start from the server's count and add the messages by others that come after it", () => {
    const unread = new UnreadCounter();
    unread.set('r1', 2, 10);
    unread.arrived('r1', 11, true);
    unread.arrived('r1', 12, false);
    expect(unread.of('r1')).toBe(3);
    expect(unread.of('r2')).toBe(0);
  });

  it('count a message resumed after a reconnect once, whether the new count comes before or after it', () => {
    const before = new UnreadCounter();
    before.set('r1', 1, 5);
    before.set('r1', 3, 7);
    before.arrived('r1', 6, true);
    before.arrived('r1', 7, true);
    expect(before.of('r1')).toBe(3);

    const after = new UnreadCounter();
    after.set('r1', 1, 5);
    after.arrived('r1', 6, true);
    after.arrived('r1', 7, true);
    after.set('r1', 3, 7);
    expect(after.of('r1')).toBe(3);
  });

  it('clear when the room is read, and count again what comes after', () => {
    const unread = new UnreadCounter();
    unread.set('r1', 4, 9);
    unread.read('r1', 9);
    unread.arrived('r1', 9, true);
    expect(unread.of('r1')).toBe(0);
    unread.arrived('r1', 10, true);
    expect(unread.of('r1')).toBe(1);
  });
});
