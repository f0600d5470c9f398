import { BATCH_SIZE_BUCKETS, counter, Gauge, histogram, type Registry } from '@chat/runtime';

export const createGatewayMetrics = (registry: Registry) => ({
  connections: new Gauge({
    name: 'chat_ws_connections',
    help: 'Open WebSocket connections',
    registers: [registry],
  }),
  connectionsOpened: counter(registry, 'chat_ws_connections_opened_total', 'WebSocket connections opened'),
  framesIn: counter(registry, 'chat_ws_frames_in_total', 'Frames received, by type', ['type']),
  framesHandled: counter(
    registry,
    'chat_ws_frames_total',
    'Frames by type and result: ok (handled; a refusal by the service is counted in chat_ws_errors_total), failed (the handler threw), or the code they were refused with before their handler',
    ['type', 'result'],
  ),
  resumePageMessages: histogram(
    registry,
    'chat_resume_page_messages',
    'Messages in one page of a resume (join_room with last_seq)',
    [],
    BATCH_SIZE_BUCKETS,
  ),
  resumesFromRecent: counter(
    registry,
    'chat_resumes_from_recent_total',
    "Resumes served from the gateway's recent frames, without a history read",
  ),
  framesOut: counter(registry, 'chat_ws_frames_out_total', 'Frames sent directly, by type', ['type']),
  published: counter(registry, 'chat_ws_topic_publishes_total', 'Frames published to room topics'),
  errors: counter(registry, 'chat_ws_errors_total', 'Error frames sent, by code', ['code']),
  ackSeconds: histogram(registry, 'chat_ack_seconds', 'From send_message received to ack sent'),
  deliverySeconds: histogram(
    registry,
    'chat_delivery_seconds',
    'From a message being stored to its publication to the room topic',
  ),
});

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
