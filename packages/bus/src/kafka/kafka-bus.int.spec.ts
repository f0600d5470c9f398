import { announce, resolveServer } from '@chat/testkit';
import { ConfigResourceTypes, Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
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

  describe('Kafka topic settings', () => {
    it('creates a topic with the retention and the clean-up policy asked for', async () => {
      const brokers = server.url.split(',');
      const prefix = `run-${crypto.randomUUID().slice(0, 8)}.`;
      const bus = await KafkaBus.connect({ brokers, clientId: 'topic-settings', topicPrefix: prefix });
      const admin = new Kafka({ brokers, clientId: 'topic-settings-check' }).admin();
      await admin.connect();
      try {
        await bus.ensureTopics([
          { topic: 'short', partitions: 1, retentionMs: 3_600_000 },
          { topic: 'state', partitions: 1, compacted: true },
        ]);
        const described = await admin.describeConfigs({
          includeSynonyms: false,
          resources: ['short', 'state'].map((topic) => ({
            type: ConfigResourceTypes.TOPIC,
            name: `${prefix}${topic}`,
            configNames: ['retention.ms', 'cleanup.policy'],
          })),
        });
        const settings = Object.fromEntries(
          described.resources.map((resource) => [
            resource.resourceName.slice(prefix.length),
            Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue])),
          ]),
        );
        expect(settings.short).toMatchObject({ 'retention.ms': '3600000', 'cleanup.policy': 'delete' });
        expect(settings.state).toMatchObject({ 'cleanup.policy': 'compact' });
      } finally {
        await admin.disconnect();
        await bus.close();
      }
    }, 60_000);
  });
} else {
  describe.skip(`Bus on Kafka — ${server.reason}`, () => {
    it('needs KAFKA_BROKERS or a container engine', () => {});
  });
}
