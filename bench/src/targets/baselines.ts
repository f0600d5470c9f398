import { socketIoWire } from '../wire/socketio';
import { nativeWire } from '../wire/wire';
import { freePort, spawnTypeScript, waitForHttp } from './processes';
import type { Target } from './target';

const memoryOf = async (url: string): Promise<number | null> => {
  try {
    const usage = (await (await fetch(url)).json()) as { heapUsed: number };
    return usage.heapUsed;
  } catch {
    return null;
  }
};

/** Rooms of a server with no room registry are just names. */
const nameRoom = async (_ownerId: string, name: string) => name;

/**
 * The physical-limit reference: raw uWebSockets.js pub/sub with no application logic (see
 * baselines/uws-server.ts), speaking the platform's frames.
 */
export const startUwsTarget = async (): Promise<Target> => {
  const port = await freePort();
  const server = spawnTypeScript('uws-baseline', 'bench/src/baselines/uws-server.ts', { PORT: String(port) });
  await waitForHttp(`http://127.0.0.1:${port}/memory`, server);
  return {
    name: 'uws',
    wire: nativeWire,
    wsUrls: [`ws://127.0.0.1:${port}/ws`],
    apiUrl: null,
    settings: {},
    notes: ['no token verification, no storage: authenticate, subscribe, publish + ack'],
    createRoom: nameRoom,
    gatewayPids: () => [server.pid],
    serverPids: () => [server.pid],
    heapBytes: () => memoryOf(`http://127.0.0.1:${port}/memory`),
    stop: () => server.stop(),
  };
};

/** Socket.IO 4 with rooms (see baselines/socketio-server.ts), websocket transport only. */
export const startSocketIoTarget = async (): Promise<Target> => {
  const port = await freePort();
  const server = spawnTypeScript('socketio-baseline', 'bench/src/baselines/socketio-server.ts', {
    PORT: String(port),
  });
  await waitForHttp(`http://127.0.0.1:${port}/memory`, server);
  return {
    name: 'socketio',
    wire: socketIoWire,
    wsUrls: [`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`],
    apiUrl: null,
    settings: {},
    notes: ['Socket.IO 4, in-memory adapter, websocket transport only, no token verification, no storage'],
    createRoom: nameRoom,
    gatewayPids: () => [server.pid],
    serverPids: () => [server.pid],
    heapBytes: () => memoryOf(`http://127.0.0.1:${port}/memory`),
    stop: () => server.stop(),
  };
};
