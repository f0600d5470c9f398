import type { Bus } from '@chat/bus';
import { KafkaBus } from '@chat/bus/kafka';
import { afterAll, beforeAll, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { expectPoisonRecordDeadLettered } from './poison-record';

fleetScenario('a record nobody can read, on Kafka', (servers) => {
  let fleet: Fleet;
  let bus: Bus;
  beforeAll(async () => {
    fleet = await startFleet(servers, { CHAT_BUS__STALL_THRESHOLD_SECONDS: '0.3' }, { gateways: 1 });
    bus = await KafkaBus.connect({
      brokers: servers.kafkaBrokers.split(','),
      clientId: 'poison-test',
      topicPrefix: fleet.env.KAFKA_TOPIC_PREFIX,
    });
  }, 90_000);
  afterAll(async () => {
    await bus?.close();
    await fleet?.stop();
  });

  it('is dead-lettered by every consumer; the partition moves on; readiness names the stall meanwhile', async () => {
    await expectPoisonRecordDeadLettered(fleet, { bus, readyzUrls: fleet.readyzUrls });
  }, 120_000);
});
