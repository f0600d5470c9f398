import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
// The fleet's producers compress with Snappy: this registers its codec with kafkajs.
import '@chat/bus/kafka';
import { FLEET_SERVICES, mongoDatabaseOf, namespaceEnv } from '@chat/fleet';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { BSON, MongoClient } from 'mongodb';
import { s3ClientOf, type FleetServers } from './fleet';

/**
 * Where `needle` lies in clear, as raw bytes: the places an attacker with a copy of each store
 * would read it. Used to prove erasure and retention (DESIGN.md: "Erasure is real").
 */
export type ClearTextScan = (needle: string) => Promise<string[]>;

/** Every file under `directory` (SQLite databases with their WAL, blobs, logs) that holds `needle`. */
export const findInDirectory = (directory: string, needle: string): string[] => {
  const bytes = Buffer.from(needle);
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => readFileSync(path).includes(bytes));
};

/** Every record of the fleet's topics, read from offset 0, whose key, value or headers hold `needle`. */
const findInTopics = async (brokers: string, topicPrefix: string, needle: Buffer): Promise<string[]> => {
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const found: string[] = [];
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    const ends = new Map<string, number>();
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (Number(high) > Number(low)) ends.set(`${topic}/${partition}`, Number(high));
      }
    }
    if (ends.size === 0) return found;
    const consumer = kafka.consumer({ groupId: `clear-text-scan-${crypto.randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const remaining = new Set(ends.keys());
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`Topics not read to their end: ${[...remaining]}`)),
        60_000,
      );
      void consumer.run({
        eachBatch: async ({ batch }) => {
          const place = `${batch.topic}/${batch.partition}`;
          for (const message of batch.messages) {
            const headers = Object.values(message.headers ?? {}).flatMap((value) =>
              Array.isArray(value) ? value : [value],
            );
            if (
              [message.key, message.value, ...headers].some(
                (part) => part && Buffer.from(part).includes(needle),
              )
            ) {
              found.push(`kafka ${place}@${message.offset}`);
            }
            if (Number(message.offset) + 1 >= ends.get(place)!) remaining.delete(place);
          }
          if (remaining.size === 0) {
            clearTimeout(deadline);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
  } finally {
    await admin.disconnect();
  }
  return found;
};

/** Every document of the fleet's databases whose BSON holds `needle`. */
const findInMongo = async (url: string, namespace: string, needle: Buffer): Promise<string[]> => {
  const mongo = await MongoClient.connect(url);
  const found: string[] = [];
  try {
    for (const name of [...FLEET_SERVICES.map((service) => service.name), 'keys']) {
      const db = mongo.db(mongoDatabaseOf(namespace, name));
      for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray()) {
        for await (const document of db.collection(collection).find({})) {
          if (Buffer.from(BSON.serialize(document)).includes(needle)) {
            found.push(`mongodb ${db.databaseName}.${collection} ${String(document._id)}`);
          }
        }
      }
    }
  } finally {
    await mongo.close();
  }
  return found;
};

/** Every document of the fleet's indexes whose source holds `needle` (all of them read, not only matches). */
const findInIndexes = async (url: string, indexPrefix: string, needle: Buffer): Promise<string[]> => {
  const response = await fetch(`${url}/${indexPrefix}*/_search?size=10000&expand_wildcards=all`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: { match_all: {} } }),
  });
  const body = (await response.json()) as {
    hits?: { hits: { _index: string; _id: string; _source: unknown }[] };
  };
  return (body.hits?.hits ?? [])
    .filter((hit) => Buffer.from(JSON.stringify(hit._source)).includes(needle))
    .map((hit) => `elasticsearch ${hit._index}/${hit._id}`);
};

/** Every Redis key of the fleet whose value holds `needle`. */
const findInRedis = async (url: string, keyPrefix: string, needle: Buffer): Promise<string[]> => {
  const redis = new Redis(url);
  const found: string[] = [];
  try {
    for (const key of await redis.keys(`${keyPrefix}*`)) {
      const type = await redis.type(key);
      const values =
        type === 'string'
          ? [await redis.getBuffer(key)]
          : type === 'hash'
            ? Object.values(await redis.hgetallBuffer(key))
            : type === 'set'
              ? await redis.smembersBuffer(key)
              : type === 'zset'
                ? await redis.zrangeBuffer(key, 0, -1)
                : type === 'list'
                  ? await redis.lrangeBuffer(key, 0, -1)
                  : [];
      if (values.some((value) => value?.includes(needle))) found.push(`redis ${key}`);
    }
  } finally {
    redis.disconnect();
  }
  return found;
};

/** Every object of the fleet's S3 prefix whose bytes hold `needle`. */
const findInBucket = async (
  s3Env: Record<string, string>,
  prefix: string,
  needle: Buffer,
): Promise<string[]> => {
  const s3 = s3ClientOf(s3Env);
  const Bucket = s3Env.AWS_S3_BUCKET!;
  const found: string[] = [];
  try {
    let ContinuationToken: string | undefined;
    do {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
      for (const { Key } of listed.Contents ?? []) {
        const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
        if (Buffer.from(await object.Body!.transformToByteArray()).includes(needle)) found.push(`s3 ${Key}`);
      }
      ContinuationToken = listed.NextContinuationToken;
    } while (ContinuationToken);
  } finally {
    s3.destroy();
  }
  return found;
};

/**
 * Every place of a fleet where `needle` lies in clear: its topics from offset 0, its MongoDB
 * databases, its Elasticsearch indexes, its Redis keys, its S3 objects and its data directory
 * (the services' SQLite stores, their logs).
 */
export const findInFleetStores = async (
  servers: FleetServers,
  fleet: { namespace: string; dataDir: string },
  needle: string,
): Promise<string[]> => {
  const bytes = Buffer.from(needle);
  const prefixes = namespaceEnv(fleet.namespace);
  const found = await Promise.all([
    findInTopics(servers.kafkaBrokers, prefixes.KAFKA_TOPIC_PREFIX, bytes),
    findInMongo(servers.mongodbUrl, fleet.namespace, bytes),
    findInIndexes(servers.elasticsearchUrl, prefixes.ELASTICSEARCH_INDEX_PREFIX, bytes),
    findInRedis(servers.redisUrl, prefixes.REDIS_KEY_PREFIX, bytes),
    findInBucket(servers.s3Env, prefixes.S3_KEY_PREFIX, bytes),
  ]);
  return [...found.flat(), ...findInDirectory(fleet.dataDir, needle)];
};
