import { announce, resolveServer } from '@chat/testkit';
import { describe, it } from 'vitest';
import { busConformance } from '../conformance';
import { KafkaBus } from './kafka-bus';

const server = await resolveServer('kafka');
announce('Bus on Kafka', server);

if (server.available) {
  busConformance('Kafka', async () => {
    // A prefix per run: the suite also proves that prefixed names stay invisible to the caller.
    const bus = await KafkaBus.connect({
      brokers: server.url.split(','),
      clientId: 'conformance',
      topicPrefix: `run-${crypto.randomUUID().slice(0, 8)}.`,
    });
    return { bus, dispose: () => bus.close() };
  });
} else {
  describe.skip(`Bus on Kafka — ${server.reason}`, () => {
    it('needs KAFKA_BROKERS or a container engine', () => {});
  });
}
