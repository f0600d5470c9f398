import { describe, expect, it } from 'vitest';
import { CommandBacklog } from './command-backlog';

describe('the REST command backlog', () => {
  it('is as far behind as its oldest running command, and not at all once all ended', async () => {
    let now = 0;
    const backlog = new CommandBacklog(() => now);
    expect(backlog.lagMs()).toBe(0);
    let endFirst!: () => void;
    let endSecond!: () => void;
    const first = backlog.track(() => new Promise<void>((resolve) => (endFirst = resolve)));
    now = 400;
    const second = backlog.track(() => new Promise<void>((resolve) => (endSecond = resolve)));
    now = 1_500;
    expect(backlog.lagMs()).toBe(1_500);
    endFirst();
    await first;
    expect(backlog.lagMs()).toBe(1_100);
    endSecond();
    await second;
    expect(backlog.lagMs()).toBe(0);
  });

  it('forgets a command that failed', async () => {
    const backlog = new CommandBacklog(() => 7);
    await expect(backlog.track(() => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(backlog.lagMs()).toBe(0);
  });
});
