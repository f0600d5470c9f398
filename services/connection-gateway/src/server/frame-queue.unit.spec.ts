import { describe, expect, it } from 'vitest';
import { FrameQueue } from './frame-queue';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('frame queue (one connection)', () => {
  it('starts frames in the order pushed, each once the one before ended its turn', async () => {
    const queue = new FrameQueue();
    const log: string[] = [];
    const verified = deferred();
    queue.push(async (endTurn) => {
      log.push('authenticate starts');
      await verified.promise;
      log.push('authenticate done');
      endTurn();
    });
    queue.push(async () => void log.push('join_room starts'));
    queue.push(async () => void log.push('send_message starts'));
    await settle();
    expect(log).toEqual(['authenticate starts']);
    verified.resolve();
    await settle();
    expect(log).toEqual([
      'authenticate starts',
      'authenticate done',
      'join_room starts',
      'send_message starts',
    ]);
  });

  it("holds a frame's ordered part behind a slow one, but not its completion", async () => {
    const queue = new FrameQueue();
    const log: string[] = [];
    const slowPublish = deferred();
    const firstAnswer = deferred();
    const first = queue.push(async (endTurn) => {
      await slowPublish.promise;
      log.push('first published');
      endTurn();
      await firstAnswer.promise;
      log.push('first answered');
    });
    const second = queue.push(async (endTurn) => {
      log.push('second published');
      endTurn();
      log.push('second answered');
    });
    await settle();
    expect(log).toEqual([]);
    slowPublish.resolve();
    await second;
    expect(log).toEqual(['first published', 'second published', 'second answered']);
    firstAnswer.resolve();
    await first;
    expect(log.at(-1)).toBe('first answered');
  });

  it('lets the next frame in when one settles without ending its turn', async () => {
    const queue = new FrameQueue();
    const log: string[] = [];
    const done = deferred();
    queue.push(async () => {
      await done.promise;
      log.push('first settled');
    });
    const second = queue.push(async () => void log.push('second starts'));
    await settle();
    expect(log).toEqual([]);
    done.resolve();
    await second;
    expect(log).toEqual(['first settled', 'second starts']);
  });

  it('lets the next frame in when one fails, and hands the failure to its pusher', async () => {
    const queue = new FrameQueue();
    const failed = queue.push(async () => {
      throw new Error('registry down');
    });
    const served: string[] = [];
    const next = queue.push(async () => void served.push('next'));
    await expect(failed).rejects.toThrow('registry down');
    await next;
    expect(served).toEqual(['next']);
  });
});
