import WebSocket from 'ws';
import { errorCode, openSocket, type Frame, type Wire } from './wire';

/**
 * Socket.IO v4 (Engine.IO protocol 4, Socket.IO protocol 5) over a plain WebSocket, websocket
 * transport only. Frames travel as the one event `frame`: `42["frame",{…}]`. Speaking the
 * protocol directly keeps the client the same `ws` socket as for every other target, so the
 * comparison measures servers, not client libraries.
 *
 * Engine.IO packets: `0` open, `2` ping (answered `3`), `4` message. Socket.IO packets inside
 * a message: `0` namespace connected, `2` event, `4` connect error.
 */
export const socketIoWire: Wire = {
  name: 'socket.io',
  connect(url, localAddress, handlers) {
    const ws = openSocket(url, localAddress);
    ws.on('message', (data) => {
      const text = String(data);
      switch (text[0]) {
        case '0':
          return ws.send('40');
        case '2':
          return ws.send('3');
        case '4':
          if (text[1] === '0') return handlers.onOpen();
          if (text[1] === '2') {
            const [, frame] = JSON.parse(text.slice(2)) as [string, Frame];
            return handlers.onFrame(frame);
          }
          if (text[1] === '4') return handlers.onError('socketio_connect_error');
          return;
        default:
          return;
      }
    });
    ws.on('close', (code) => handlers.onClose(code));
    ws.on('error', (error) => handlers.onError(errorCode(error)));
    return {
      send: (frame) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(`42${JSON.stringify(['frame', frame])}`);
      },
      close: () => ws.terminate(),
    };
  },
};
