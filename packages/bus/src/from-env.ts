import { join } from 'node:path';
import type { Logger } from 'pino';
import { EmbeddedBus } from './embedded/embedded-bus';
import type { KafkaCompression } from './kafka/kafka-bus';
import type { BusMetrics } from './logger';
import type { Bus } from './port';

const COMPRESSIONS: readonly KafkaCompression[] = ['snappy', 'gzip', 'none'];

const compressionOf = (value: string | undefined): KafkaCompression | undefined => {
  if (value === undefined || value === '') return undefined;
  if ((COMPRESSIONS as readonly string[]).includes(value)) return value as KafkaCompression;
  throw new Error(`KAFKA_COMPRESSION must be one of ${COMPRESSIONS.join(', ')}, not "${value}"`);
};

/**
 * The bus chosen once, at start-up: Kafka when KAFKA_BROKERS is set (topics and groups prefixed
 * with KAFKA_TOPIC_PREFIX, batches compressed as KAFKA_COMPRESSION says), else the embedded log in
 * DATA_DIR. Nothing else in a service knows which one runs.
 */
export const openBusFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: { clientId: string; logger: Logger; metrics?: BusMetrics },
): Promise<Bus> => {
  const brokers = env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (brokers?.length) {
    const { KafkaBus } = await import('./kafka/kafka-bus');
    options.logger.info({ brokers }, 'bus: Kafka');
    const compression = compressionOf(env.KAFKA_COMPRESSION);
    return KafkaBus.connect({
      brokers,
      clientId: options.clientId,
      logger: options.logger,
      metrics: options.metrics,
      ...(env.KAFKA_TOPIC_PREFIX ? { topicPrefix: env.KAFKA_TOPIC_PREFIX } : {}),
      ...(env.KAFKA_SESSION_TIMEOUT_MS ? { sessionTimeoutMs: Number(env.KAFKA_SESSION_TIMEOUT_MS) } : {}),
      ...(compression ? { compression } : {}),
    });
  }
  const path = join(env.DATA_DIR ?? './data', 'bus.db');
  options.logger.info({ path }, 'bus: embedded');
  return EmbeddedBus.open(path, { logger: options.logger, metrics: options.metrics });
};
