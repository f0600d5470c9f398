import { presenceStoreConformance } from './conformance';
import { InMemoryPresenceStore } from './in-memory-presence-store';

presenceStoreConformance('in memory', async () => {
  const store = new InMemoryPresenceStore();
  return { store, dispose: () => store.close() };
});
