import { announce, resolveServer } from '@chat/testkit';
import { describe, it } from 'vitest';
import { eventStoreConformance } from '../conformance';
import { EventStoreDbStore } from './esdb-event-store';

const server = await resolveServer('eventstore');
announce('Event store on EventStoreDB', server);

if (server.available) {
  eventStoreConformance('EventStoreDB', async () => {
    const store = await EventStoreDbStore.connect(server.url);
    return { store, dispose: () => store.close() };
  });
} else {
  describe.skip(`Event store on EventStoreDB — ${server.reason}`, () => {
    it('needs EVENTSTORE_URL or a container engine', () => {});
  });
}
