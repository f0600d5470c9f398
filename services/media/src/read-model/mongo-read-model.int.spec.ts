import { mongoReadModelSuite } from '@chat/testkit/mongo';
import { mediaReadModelConformance } from './conformance';
import { MongoMediaReadModel } from './mongo-read-model';

await mongoReadModelSuite(
  'Media read model on MongoDB',
  (url, database) => MongoMediaReadModel.open(url, { database }),
  mediaReadModelConformance,
);
