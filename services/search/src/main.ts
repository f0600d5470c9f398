import { runServiceProcess } from '@chat/service-host';
import { openRoomAccessView } from '@chat/service-host/room-access';
import { openContentCipher } from '@chat/service-host/privacy';
import { openSearchIndexFromEnv } from './adapters/from-env';
import { createSearchService } from './service';

/**
 * The search service as its own process (fleet mode), configured from the environment:
 * ELASTICSEARCH_URL and ELASTICSEARCH_INDEX_PREFIX (else SQLite FTS5 under DATA_DIR), KAFKA_BROKERS
 * and KAFKA_TOPIC_PREFIX (else the embedded bus), PORT (8003).
 */
await runServiceProcess({
  name: 'search',
  title: 'Chat search service',
  defaultPort: 8003,
  build: async (host) => {
    const { env, logger } = host;
    const index = await openSearchIndexFromEnv(env, logger);
    host.closeOnStop(() => index.close());
    const bus = await host.openBus();
    const access = await openRoomAccessView(host, bus);
    return createSearchService({ access, bus, index, logger, cipher: await openContentCipher(host) });
  },
});
