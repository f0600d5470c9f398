import uWS from 'uWebSockets.js';

/**
 * The physical-limit reference: uWebSockets.js pub/sub and nothing else. It speaks the
 * platform's frames just enough for the load generator — `authenticate` is answered at once
 * (the token is read, not verified), `join_room` subscribes to the room's topic, `send_message`
 * is acked and published to the topic, `ping` is answered — with no validation, no limits and
 * no storage. What the platform adds on top of this is what the benchmark measures.
 */
const port = Number(process.env.PORT ?? 9001);
const seqs = new Map<string, number>();

interface Incoming {
  type: string;
  token?: string;
  room_id?: string;
  content?: string;
  client_msg_id?: string | null;
  ts?: number;
}

const subjectOf = (token: string | undefined): string => {
  try {
    return JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString()).sub ?? 'anonymous';
  } catch {
    return 'anonymous';
  }
};

const app = uWS.App();
app.ws<{ userId: string }>('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: 1024 * 1024,
  maxBackpressure: 1024 * 1024,
  idleTimeout: 60,
  sendPingsAutomatically: true,
  upgrade: (res, req, context) => {
    res.upgrade(
      { userId: 'anonymous' },
      req.getHeader('sec-websocket-key'),
      req.getHeader('sec-websocket-protocol'),
      req.getHeader('sec-websocket-extensions'),
      context,
    );
  },
  message: (ws, message) => {
    const frame = JSON.parse(Buffer.from(message).toString('utf8')) as Incoming;
    const data = ws.getUserData();
    switch (frame.type) {
      case 'authenticate':
        data.userId = subjectOf(frame.token);
        ws.send(JSON.stringify({ type: 'authenticated', user_id: data.userId, heartbeat_interval: 30 }));
        return;
      case 'join_room': {
        const roomId = frame.room_id!;
        ws.subscribe(`room:${roomId}`);
        ws.send(JSON.stringify({ type: 'room_joined', room_id: roomId, last_seq: seqs.get(roomId) ?? 0 }));
        return;
      }
      case 'send_message': {
        const roomId = frame.room_id!;
        const seq = (seqs.get(roomId) ?? 0) + 1;
        seqs.set(roomId, seq);
        const created_at = new Date().toISOString();
        const message_id = `msg_${roomId}_${seq}`;
        const client_msg_id = frame.client_msg_id ?? null;
        ws.send(JSON.stringify({ type: 'ack', client_msg_id, message_id, room_id: roomId, seq, created_at }));
        app.publish(
          `room:${roomId}`,
          JSON.stringify({
            type: 'message',
            room_id: roomId,
            message_id,
            seq,
            sender_id: data.userId,
            content: frame.content,
            message_type: 'text',
            created_at,
            client_msg_id,
          }),
          false,
        );
        return;
      }
      case 'ping':
        ws.send(JSON.stringify({ type: 'pong', ts: frame.ts }));
        return;
      default:
        return;
    }
  },
});
app.get('/memory', (res) => {
  res.writeHeader('content-type', 'application/json').end(JSON.stringify(process.memoryUsage()));
});

let listening: uWS.us_listen_socket | null = null;
app.listen('127.0.0.1', port, (socket) => {
  if (!socket) throw new Error(`cannot listen on ${port}`);
  listening = socket;
});
process.once('SIGTERM', () => {
  if (listening) uWS.us_listen_socket_close(listening);
  process.exit(0);
});
