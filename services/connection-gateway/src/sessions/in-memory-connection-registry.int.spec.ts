import { InMemoryConnectionRegistry } from './connection-registry';
import { connectionRegistryConformance } from './connection-registry.conformance';

connectionRegistryConformance('in memory', async () => ({
  registry: new InMemoryConnectionRegistry(),
  dispose: async () => {},
}));
