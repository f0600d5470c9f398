import { notificationReadModelConformance } from './conformance';
import { SqliteNotificationReadModel } from './sqlite-read-model';

notificationReadModelConformance('SQLite', async () => {
  const readModel = SqliteNotificationReadModel.open(':memory:');
  return { readModel, dispose: () => readModel.close() };
});
