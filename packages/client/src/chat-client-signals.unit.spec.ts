import { describe, expect, it, vi } from 'vitest';
import { clientOnFakeSocket } from './testing/client-on-fake-socket';
import type { VerifiedFile } from './wire';

const AT = '2025-01-01T00:00:00.000Z';

describe('ChatClient: typing, presence and shared files', () => {
  const sdk = clientOnFakeSocket();

  it('signals typing only while connected: a stale signal is not worth replaying', async () => {
    sdk.start().typing('general');
    await sdk.connected();
    sdk.client.typing('general');
    sdk.client.typing('general', 'stop');
    expect(sdk.ws.latest().sentOfType('typing')).toEqual([
      { type: 'typing', room_id: 'general', state: 'start' },
      { type: 'typing', room_id: 'general', state: 'stop' },
    ]);
  });

  it('sets the presence status and sets it again on the next connection', async () => {
    await sdk.connected();
    sdk.client.setPresence('busy');
    expect(sdk.ws.latest().sentOfType('presence_update')).toEqual([
      { type: 'presence_update', status: 'busy' },
    ]);
    sdk.ws.latest().drop();
    sdk.client.setPresence('away');
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    expect(sdk.ws.latest().sentOfType('presence_update')).toEqual([
      { type: 'presence_update', status: 'away' },
    ]);
  });

  it('shares an uploaded file as a send: kept until acknowledged, across a reconnect', async () => {
    const file: VerifiedFile = {
      file_id: 'file_0123456789abcdefghijkl',
      room_id: 'general',
      file_name: 'photo.png',
      content_type: 'image/png',
      size: 70,
      file_url: '/api/media/file_0123456789abcdefghijkl',
    };
    await sdk.connected();
    const acked = sdk.client.shareFile('general', file);
    const [first] = sdk.ws.latest().sentOfType('share_file');
    expect(first).toMatchObject({
      room_id: 'general',
      file_url: file.file_url,
      file_name: 'photo.png',
      file_size: 70,
    });
    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    const [again] = sdk.ws.latest().sentOfType('share_file');
    expect(again).toEqual(first);
    const ack = {
      client_msg_id: first!.client_msg_id!,
      message_id: 'm1',
      room_id: 'general',
      seq: 1,
      created_at: AT,
    };
    sdk.ws.latest().deliver({ type: 'ack', ...ack });
    await expect(acked).resolves.toEqual(ack);
  });
});
