import { describe, expect, it } from 'vitest';
import { RecentFrames } from './recent-frames';

const message = (seq: number) => ({ seq, frame: `m${seq}` });
const edit = (of: number) => ({ seq: null, frame: `edit of m${of}` });

describe("a room's recent frames", () => {
  it('gives everything published after a message, edits included, in publish order', () => {
    const recent = new RecentFrames();
    for (const item of [message(1), message(2), edit(1), message(3)]) recent.add('r1', item);
    expect(recent.after('r1', 1)).toEqual([message(2), edit(1), message(3)]);
    expect(recent.after('r1', 3)).toEqual([]);
  });

  it('gives nothing for a message it does not hold: older than kept, or in a room never seen', () => {
    const recent = new RecentFrames(3);
    for (let seq = 1; seq <= 5; seq++) recent.add('r1', message(seq));
    expect(recent.after('r1', 2)).toBeNull();
    expect(recent.after('r1', 3)).toEqual([message(4), message(5)]);
    expect(recent.after('r2', 1)).toBeNull();
    expect(recent.size).toBe(3);
  });

  it('keeps a bounded number of frames in all, dropping the rooms longest without one first', () => {
    const recent = new RecentFrames(10, 6);
    for (let seq = 1; seq <= 3; seq++) recent.add('quiet', message(seq));
    for (let seq = 1; seq <= 3; seq++) recent.add('busy', message(seq));
    recent.add('busy', message(4));
    expect(recent.after('quiet', 1)).toBeNull();
    expect(recent.after('busy', 1)).toEqual([message(2), message(3), message(4)]);
    expect(recent.size).toBe(4);
  });

  it('keeps the newest frames of a single room even past the bound in all', () => {
    const recent = new RecentFrames(10, 2);
    for (let seq = 1; seq <= 4; seq++) recent.add('only', message(seq));
    expect(recent.after('only', 3)).toEqual([message(4)]);
  });
});
