import { announce, resolveServer } from '@chat/testkit';
import { describe, it } from 'vitest';
import { busConformance } from '../conformance';
import { KafkaBus } from './kafka-bus';

const server = await resolveServer('kafka');
announce('Bus on Kafka', server);

if (server.available) {
  busConformance('Kafka', async () => {
    const bus = await KafkaBus.connect({ brokers: server.url.split(','), clientId: 'conformance' });
    return { bus, dispose: () => bus.close() };
  });
} else {
  describe.skip(`Bus on Kafka — ${server.reason}`, () => {
    it('needs KAFKA_BROKERS or a container engine', () => {});
  });
}
