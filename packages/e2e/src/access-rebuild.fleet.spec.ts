import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, it } from 'vitest';
import { expectAccessRebuiltAfterTrim } from './access-rebuild';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';

/** The services that keep a room access view in MongoDB (the gateways keep theirs in memory). */
const VIEWERS = ['media', 'search', 'presence', 'notification'];

fleetScenario('room access rebuilt from the compacted topic alone, on the fleet', (servers) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet(servers, {}, { gateways: 1 });
  }, 90_000);
  afterAll(() => fleet?.stop());

  /** Deletes every record of message.events, as Kafka's retention would. */
  const trimMessageEvents = async () => {
    const kafka = new Kafka({ brokers: servers.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = `${fleet.env.KAFKA_TOPIC_PREFIX}message.events`;
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.deleteTopicRecords({
        topic,
        partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
      });
    } finally {
      await admin.disconnect();
    }
  };

  /** Empties each service's view: its store starts again with a new generation. */
  const dropViews = async () => {
    for (const service of VIEWERS) {
      const mongo = await MongoClient.connect(fleet.mongodbUrlOf(service));
      try {
        const db = mongo.db();
        const collections = await db.listCollections({}, { nameOnly: true }).toArray();
        for (const { name } of collections.filter((each) => each.name.startsWith(`${service}_room_access`))) {
          await db.collection(name).drop();
        }
      } finally {
        await mongo.close();
      }
    }
  };

  it('answers every access question the same after message.events is trimmed and every view emptied', async () => {
    await expectAccessRebuiltAfterTrim(fleet, async () => {
      for (const service of VIEWERS) await fleet.stopService(service);
      await trimMessageEvents();
      await dropViews();
      for (const service of VIEWERS) await fleet.startService(service);
    });
  }, 240_000);
});
