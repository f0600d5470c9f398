import { mongoReadModelSuite } from '@chat/testkit/mongo';
import { notificationReadModelConformance } from './conformance';
import { MongoNotificationReadModel } from './mongo-read-model';

await mongoReadModelSuite(
  'Notification read model on MongoDB',
  (url, database) => MongoNotificationReadModel.open(url, { database }),
  notificationReadModelConformance,
);
