import { createServer } from 'node:http';
import { Server } from 'socket.io';

/**
 * Socket.IO with rooms, as an application on it would start: the websocket transport only, no
 * compression, the in-memory adapter. It speaks the platform's frames as the payload of one
 * event, `frame`: `authenticate` is answered at once (the token is read, not verified),
 * `join_room` joins the Socket.IO room, `send_message` is acked to the sender and emitted to the
 * room (the sender included, as the platform does).
 */
const port = Number(process.env.PORT ?? 9002);
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

const http = createServer((request, response) => {
  if (request.url === '/memory') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(process.memoryUsage()));
    return;
  }
  response.writeHead(404).end();
});
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
  maxHttpBufferSize: 1024 * 1024,
});

io.on('connection', (socket) => {
  let userId = 'anonymous';
  socket.on('frame', (frame: Incoming) => {
    switch (frame.type) {
      case 'authenticate':
        userId = subjectOf(frame.token);
        socket.emit('frame', { type: 'authenticated', user_id: userId, heartbeat_interval: 25 });
        return;
      case 'join_room': {
        const roomId = frame.room_id!;
        void socket.join(roomId);
        socket.emit('frame', { type: 'room_joined', room_id: roomId, last_seq: seqs.get(roomId) ?? 0 });
        return;
      }
      case 'send_message': {
        const roomId = frame.room_id!;
        const seq = (seqs.get(roomId) ?? 0) + 1;
        seqs.set(roomId, seq);
        const created_at = new Date().toISOString();
        const message_id = `msg_${roomId}_${seq}`;
        const client_msg_id = frame.client_msg_id ?? null;
        socket.emit('frame', { type: 'ack', client_msg_id, message_id, room_id: roomId, seq, created_at });
        io.to(roomId).emit('frame', {
          type: 'message',
          room_id: roomId,
          message_id,
          seq,
          sender_id: userId,
          content: frame.content,
          message_type: 'text',
          created_at,
          client_msg_id,
        });
        return;
      }
      case 'ping':
        socket.emit('frame', { type: 'pong', ts: frame.ts });
        return;
      default:
        return;
    }
  });
});

http.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
