import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '@chat/bus/embedded';
import { Topics, topicSpecs, type EventRecord, type UserSuspensionEvent } from '@chat/contracts';
import { eventually } from '@chat/testkit';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSuspensionView, type SuspensionView } from './suspensions';

const logger = pino({ level: 'silent' });
const T = '2024-05-01T10:00:00.000Z';

let revision = 0;
const recordOf = (event: UserSuspensionEvent): EventRecord => ({
  event_id: `e${++revision}`,
  type: event.type,
  stream: `user-${event.data.user_id}`,
  revision,
  data: event.data,
  metadata: { correlation_id: 'c', causation_id: 'c', actor_id: 'root' },
  recorded_at: T,
});
const suspended = (userId: string, until: string | null = null): UserSuspensionEvent => ({
  type: 'UserSuspended',
  data: { user_id: userId, reason: 'abuse', until, suspended_by: 'root', suspended_at: T },
});
const lifted = (userId: string): UserSuspensionEvent => ({
  type: 'UserUnsuspended',
  data: { user_id: userId, unsuspended_by: 'root', unsuspended_at: T },
});

describe('the suspension view on the embedded bus', () => {
  let dir: string;
  let bus: EmbeddedBus;
  const views: SuspensionView[] = [];
  const publish = (...events: UserSuspensionEvent[]) =>
    bus.publish(
      Topics.userSuspensions,
      events.map((event) => ({ key: event.data.user_id, value: JSON.stringify(recordOf(event)) })),
    );
  const open = async () => {
    const view = await startSuspensionView({ bus, reader: 'test', logger });
    views.push(view);
    return view;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'suspension-view-'));
    bus = EmbeddedBus.open(join(dir, 'bus.db'));
    await bus.ensureTopics(topicSpecs(Topics.userSuspensions, Topics.userErasures));
  });
  afterEach(async () => {
    await Promise.all(views.splice(0).map((view) => view.stop()));
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every suspension published before it started, newest per user, and is ready then', async () => {
    await publish(
      suspended('ann'),
      suspended('bob'),
      lifted('bob'),
      suspended('cy', '2024-05-01T11:00:00.000Z'),
    );
    const view = await open();
    expect(view.notReady()).toEqual([]);
    expect(view.refusal('ann')).toMatchObject({
      code: 'suspended',
      message: expect.stringContaining('abuse'),
    });
    expect(view.refusal('bob')).toBeNull();
    expect(view.refusal('dee')).toBeNull();
    expect(view.refusal('cy', new Date('2024-05-01T10:30:00.000Z'))?.code).toBe('suspended');
    expect(view.refusal('cy', new Date('2024-05-01T11:00:00.000Z'))).toBeNull();
  });

  it('tells its listeners of each user suspended while it runs, and forgets a lifted suspension', async () => {
    const view = await open();
    const heard: string[] = [];
    view.onSuspended((userId) => heard.push(userId));
    await publish(suspended('eve'));
    await eventually(() => expect(heard).toEqual(['eve']));
    expect(view.refusal('eve')?.code).toBe('suspended');
    await publish(lifted('eve'));
    await eventually(() => expect(view.refusal('eve')).toBeNull());
  });

  it('refuses an erased user for good, before and after it started, and tells its listeners', async () => {
    const erased = (userId: string): EventRecord => ({
      event_id: `erased-${userId}`,
      type: 'UserErased',
      stream: `user-${userId}`,
      revision: 9,
      data: { user_id: userId, erased_by: userId, erased_at: T },
      metadata: { correlation_id: 'c', causation_id: 'c', actor_id: userId },
      recorded_at: T,
    });
    const publishErased = (userId: string) =>
      bus.publish(Topics.userErasures, [{ key: userId, value: JSON.stringify(erased(userId)) }]);
    await publishErased('ann');
    await publish(suspended('bob'));
    const view = await open();
    const heard: string[] = [];
    view.onSuspended((userId, refusal) => heard.push(`${userId}:${refusal.code}`));
    expect(view.refusal('ann')?.code).toBe('account_erased');
    await publishErased('bob');
    await eventually(() => expect(heard).toEqual(['bob:account_erased']));
    await publish(lifted('bob'));
    await eventually(() => expect(view.refusal('bob')?.code).toBe('account_erased'));
  });
});
