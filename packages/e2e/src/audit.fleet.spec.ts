import { MongoClient } from 'mongodb';
import { describeAuditLog } from './audit';
import { startFleet } from './fleet';
import { fleetScenario } from './fleet-scenario';

fleetScenario('audit log on the fleet', (servers) => {
  describeAuditLog(
    'audit log on the fleet (Kafka, MongoDB)',
    async () => {
      const fleet = await startFleet(servers, {}, { gateways: 1 });
      return {
        harness: () => fleet,
        async restartGateways() {
          await fleet.stopService('connection-gateway-1');
          await fleet.startService('connection-gateway-1');
        },
        async editActor(auditId, actor) {
          const mongo = await MongoClient.connect(fleet.mongodbUrlOf('message'));
          try {
            await mongo
              .db()
              .collection('audit_records')
              .updateOne({ audit_id: auditId }, { $set: { actor } });
          } finally {
            await mongo.close();
          }
        },
        stop: () => fleet.stop(),
      };
    },
    60_000,
  );
});
