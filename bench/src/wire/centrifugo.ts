import WebSocket from 'ws';
import { errorCode, openSocket, type Frame, type Wire } from './wire';

interface Reply {
  id?: number;
  error?: { code: number; message: string };
  connect?: { client: string };
  push?: { channel: string; pub?: { data: Record<string, unknown> }; disconnect?: { code: number } };
}

/**
 * Centrifugo's JSON client protocol (v2) behind the platform's frames: `authenticate` is a
 * `connect` with the token, `join_room` a `subscribe`, `send_message` a `publish` whose reply is
 * the `ack`; publications arrive as `message` frames. Replies may share one WebSocket frame,
 * newline-separated; an empty object is the server's ping and is answered with one.
 */
export const centrifugoWire: Wire = {
  name: 'centrifugo',
  connect(url, localAddress, handlers) {
    const ws = openSocket(url, localAddress);
    let nextId = 1;
    const pending = new Map<number, Frame>();
    let userId = '';

    const command = (body: Record<string, unknown>, frame: Frame) => {
      const id = nextId++;
      pending.set(id, frame);
      ws.send(JSON.stringify({ id, ...body }));
    };

    const answer = (reply: Reply) => {
      const asked = reply.id === undefined ? undefined : pending.get(reply.id);
      if (!asked) return;
      pending.delete(reply.id!);
      const ref = (asked.client_msg_id as string | undefined) ?? asked.type;
      if (reply.error) {
        return handlers.onFrame({
          type: 'error',
          code: `centrifugo_${reply.error.code}`,
          message: reply.error.message,
          ref,
        });
      }
      switch (asked.type) {
        case 'authenticate':
          return handlers.onFrame({ type: 'authenticated', user_id: userId, heartbeat_interval: 25 });
        case 'join_room':
          return handlers.onFrame({ type: 'room_joined', room_id: asked.room_id, last_seq: 0 });
        case 'send_message':
          return handlers.onFrame({
            type: 'ack',
            client_msg_id: asked.client_msg_id,
            room_id: asked.room_id,
            message_id: asked.client_msg_id,
            seq: 0,
            created_at: new Date().toISOString(),
          });
        default:
          return;
      }
    };

    const receive = (line: string) => {
      if (line === '{}') return ws.send('{}');
      const reply = JSON.parse(line) as Reply;
      if (reply.id !== undefined) return answer(reply);
      const push = reply.push;
      if (push?.pub) return handlers.onFrame({ ...push.pub.data, type: 'message', room_id: push.channel });
      if (push?.disconnect) return handlers.onError(`centrifugo_disconnect_${push.disconnect.code}`);
    };

    ws.on('open', () => handlers.onOpen());
    ws.on('message', (data) => {
      for (const line of String(data).split('\n')) if (line) receive(line);
    });
    ws.on('close', (code) => handlers.onClose(code));
    ws.on('error', (error) => handlers.onError(errorCode(error)));

    return {
      send: (frame) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        switch (frame.type) {
          case 'authenticate': {
            const token = String(frame.token);
            userId = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub;
            return command({ connect: { token, name: 'chat-bench' } }, frame);
          }
          case 'join_room':
            return command({ subscribe: { channel: frame.room_id } }, frame);
          case 'send_message':
            return command(
              {
                publish: {
                  channel: frame.room_id,
                  data: { client_msg_id: frame.client_msg_id, content: frame.content, sender_id: userId },
                },
              },
              frame,
            );
          case 'ping':
            return handlers.onFrame({ type: 'pong' });
          default:
            return;
        }
      },
      close: () => ws.terminate(),
    };
  },
};
