import { describe, expect, it } from 'vitest';
import { RoomResume, type ResumeItem } from './resume';

const msg = (seq: number): ResumeItem => ({ seq, frame: `m${seq}` });
const msgs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));

describe('resume', () => {
  it('given a client at 3 and history up to 6, when the page arrives, then 4..6 and done', () => {
    const resume = new RoomResume('r', 3, 0);
    expect(resume.onPage(msgs(4, 6), 6)).toEqual({ done: true, send: ['m4', 'm5', 'm6'] });
  });

  it('given live messages buffered during the read, then history and buffer join without duplicates', () => {
    const resume = new RoomResume('r', 3, 0);
    resume.onLive(msg(6));
    resume.onLive({ seq: null, frame: 'joined' });
    resume.onLive(msg(7));
    expect(resume.onPage(msgs(4, 6), 7)).toEqual({ done: true, send: ['m4', 'm5', 'm6', 'joined', 'm7'] });
  });

  it('given history that lags behind what was published, then it asks again from the last sent', () => {
    const resume = new RoomResume('r', 3, 0);
    resume.onLive(msg(9));
    expect(resume.onPage(msgs(4, 6), 9)).toEqual({
      done: false,
      send: ['m4', 'm5', 'm6'],
      afterSeq: 6,
      progressed: true,
    });
    expect(resume.onPage(msgs(7, 8), 9)).toEqual({ done: true, send: ['m7', 'm8', 'm9'] });
  });

  it('given published messages the page does not yet hold and no buffer, then it is not done', () => {
    const resume = new RoomResume('r', 0, 0);
    expect(resume.onPage([], 2)).toEqual({ done: false, send: [], afterSeq: 0, progressed: false });
  });

  it('given nothing published since start and an empty page, then done at once', () => {
    expect(new RoomResume('r', 5, 0).onPage([], 0)).toEqual({ done: true, send: [] });
  });

  it('given a join decided at head 4 that this gateway never published, then history must reach 4', () => {
    const resume = new RoomResume('r', 1, 4);
    expect(resume.onPage(msgs(2, 3), 0)).toEqual({
      done: false,
      send: ['m2', 'm3'],
      afterSeq: 3,
      progressed: true,
    });
    expect(resume.onPage(msgs(4, 4), 0)).toEqual({ done: true, send: ['m4'] });
  });

  it('given a hole inside the buffer, then it is not done', () => {
    const resume = new RoomResume('r', 0, 0);
    resume.onLive(msg(1));
    resume.onLive(msg(3));
    expect(resume.onPage([], 3).done).toBe(false);
  });

  it('ignores page entries at or below what was already sent', () => {
    const resume = new RoomResume('r', 5, 0);
    expect(resume.onPage(msgs(3, 7), 7)).toEqual({ done: true, send: ['m6', 'm7'] });
  });
});
