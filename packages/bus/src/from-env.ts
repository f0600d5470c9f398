import { join } from 'node:path';
import type { Logger } from 'pino';
import { EmbeddedBus } from './embedded/embedded-bus';
import type { Bus } from './port';

/**
 * The bus chosen once, at start-up: Kafka when KAFKA_BROKERS is set (topics and groups prefixed
 * with KAFKA_TOPIC_PREFIX), else the embedded log in DATA_DIR. Nothing else in a service knows which one runs.
 */
export const openBusFromEnv = async (
  env: NodeJS.ProcessEnv,
  options: { clientId: string; logger: Logger },
): Promise<Bus> => {
  const brokers = env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (brokers?.length) {
    const { KafkaBus } = await import('./kafka/kafka-bus');
    options.logger.info({ brokers }, 'bus: Kafka');
    return KafkaBus.connect({
      brokers,
      clientId: options.clientId,
      logger: options.logger,
      ...(env.KAFKA_TOPIC_PREFIX ? { topicPrefix: env.KAFKA_TOPIC_PREFIX } : {}),
      ...(env.KAFKA_SESSION_TIMEOUT_MS ? { sessionTimeoutMs: Number(env.KAFKA_SESSION_TIMEOUT_MS) } : {}),
    });
  }
  const path = join(env.DATA_DIR ?? './data', 'bus.db');
  options.logger.info({ path }, 'bus: embedded');
  return EmbeddedBus.open(path);
};
