import { startOtlpReceiver, type OtlpReceiver } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet';
import { fleetScenario } from './fleet-scenario';
import { expectMessagesTraced } from './tracing';

fleetScenario('traces across the fleet, exported over OTLP/HTTP', (servers) => {
  let receiver: OtlpReceiver;
  let fleet: Fleet;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    fleet = await startFleet(
      servers,
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      { gateways: 1 },
    );
  });
  afterAll(async () => {
    await fleet?.stop();
    await receiver?.close();
  });

  it('follows a message from the gateway through the message service and its relay to the fan-out and the projections of other processes', async () => {
    const trace = await expectMessagesTraced(fleet, receiver.spans, {
      gateway: 'connection-gateway',
      message: 'message',
    });
    // The projections of three processes applied the message, each in the message's trace.
    const traceId = trace[0]!.traceId;
    const projectedBy = () =>
      receiver.spans
        .filter((span) => span.traceId === traceId && span.name.startsWith('apply '))
        .map((span) => span.service);
    await expect.poll(projectedBy).toEqual(expect.arrayContaining(['message', 'search', 'notification']));
  });

  it('traces MongoDB, Redis and Elasticsearch calls inside the services, by the standard instrumentations', async () => {
    expect((await fleet.api('alice', 'GET', '/api/search/messages?q=traced')).status).toBe(200);
    await expect
      .poll(() => [...new Set(receiver.spans.map((span) => span.attributes['db.system']))], {
        timeout: 15_000,
      })
      .toEqual(expect.arrayContaining(['mongodb', 'redis', 'elasticsearch']));
  });
});
