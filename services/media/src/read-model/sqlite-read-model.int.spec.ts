import { mediaReadModelConformance } from './conformance';
import { SqliteMediaReadModel } from './sqlite-read-model';

mediaReadModelConformance('SQLite', async () => {
  const readModel = SqliteMediaReadModel.open(':memory:');
  return { readModel, dispose: () => readModel.close() };
});
