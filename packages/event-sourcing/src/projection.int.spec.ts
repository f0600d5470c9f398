import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadLetterTopic } from '@chat/bus';
import { EmbeddedBus } from '@chat/bus/embedded';
import { RECORD_KIND_HEADER, Topics, topicSpecs, type EventRecord } from '@chat/contracts';
import { eventually } from '@chat/testkit';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProjection, type Projection } from './projection';

const eventOf = (revision: number): EventRecord => ({
  event_id: `room-r1#${revision}`,
  type: 'MessageSent',
  stream: 'room-r1',
  revision,
  data: { revision },
  metadata: { correlation_id: 'correlation', causation_id: `command-${revision}`, actor_id: 'alice' },
  recorded_at: new Date(Date.UTC(2024, 4, 1)).toISOString(),
});

describe('runProjection on the embedded bus', () => {
  let dir: string;
  let bus: EmbeddedBus;
  const logger = pino({ level: 'silent' });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projection-'));
    bus = EmbeddedBus.open(join(dir, 'bus.db'));
    await bus.ensureTopics(topicSpecs(Topics.messageEvents));
  });
  afterEach(async () => {
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const publishEvent = (revision: number) =>
    bus.publish(Topics.messageEvents, [{ key: 'r1', value: JSON.stringify(eventOf(revision)) }]);

  it('applies the domain events of its topics and never the other records (resume answers)', async () => {
    const applied: number[] = [];
    const projection: Projection = {
      name: 'test-projection',
      topics: [Topics.messageEvents],
      applyBatch: async (events) => void applied.push(...events.map((event) => event.revision)),
    };
    await publishEvent(0);
    await bus.publish(Topics.messageEvents, [
      {
        key: 'r1',
        value: JSON.stringify({
          kind: 'resume_page',
          query_id: 'q',
          room_id: 'r1',
          messages: [],
          last_seq: 1,
        }),
        headers: { [RECORD_KIND_HEADER]: 'resume_page' },
      },
    ]);
    await publishEvent(1);
    const consumer = await runProjection(bus, projection, logger);
    await eventually(() => expect(applied).toEqual([0, 1]));
    await consumer.stop();
  });

  it('delivers a batch again after its apply failed, before any later event', async () => {
    const attempts: number[][] = [];
    let failuresLeft = 2;
    const projection: Projection = {
      name: 'test-projection',
      topics: [Topics.messageEvents],
      applyBatch: async (events) => {
        attempts.push(events.map((event) => event.revision));
        if (failuresLeft-- > 0) throw new Error('read model unavailable');
      },
    };
    await publishEvent(0);
    await publishEvent(1);
    const consumer = await runProjection(bus, projection, logger);
    await eventually(() =>
      expect(attempts).toEqual([
        [0, 1],
        [0, 1],
        [0, 1],
      ]),
    );
    await consumer.stop();
  });

  it('dead-letters a record that is not an event, and applies the events around it', async () => {
    const applied: number[] = [];
    const projection: Projection = {
      name: 'test-projection',
      topics: [Topics.messageEvents],
      applyBatch: async (events) => void applied.push(...events.map((event) => event.revision)),
    };
    await publishEvent(0);
    await bus.publish(Topics.messageEvents, [{ key: 'r1', value: '{"type":"MessageSent","oops":' }]);
    await bus.publish(Topics.messageEvents, [{ key: 'r1', value: JSON.stringify({ type: 'MessageSent' }) }]);
    await publishEvent(1);
    const consumer = await runProjection(bus, projection, logger);
    const dead: string[] = [];
    const deadLetters = await bus.consume({
      groupId: 'dead-letters',
      topics: [deadLetterTopic(Topics.messageEvents)],
      handleBatch: async ({ records }) => void dead.push(...records.map((record) => record.value)),
    });
    await eventually(() => expect(dead).toHaveLength(2), 10_000);
    expect(applied.filter((revision) => revision === 1)).toEqual([1]);
    expect(applied).toContain(0);
    await Promise.all([consumer.stop(), deadLetters.stop()]);
  });
});
