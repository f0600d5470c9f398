import type { MessageServiceEvent } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { searchChanges } from './projection';

const sent = (
  data: Partial<Extract<MessageServiceEvent, { type: 'MessageSent' }>['data']>,
): MessageServiceEvent => ({
  type: 'MessageSent',
  data: {
    room_id: 'room-1',
    message_id: 'm-1',
    seq: 1,
    sender_id: 'alice',
    content: 'hello there',
    message_type: 'text',
    client_msg_id: null,
    created_at: '2024-05-01T10:00:00.000Z',
    ...data,
  },
});

describe('searchChanges', () => {
  it('indexes a plain message', () => {
    expect(searchChanges(sent({}))).toMatchObject([
      { kind: 'message_indexed', message: { content: 'hello there' } },
    ]);
  });

  it('skips an end-to-end encrypted room’s messages: they are ciphertext', () => {
    const mls = { message: 'AAEAAg==', epoch: 0, content_type: 'application' as const };
    expect(searchChanges(sent({ content: '', message_type: 'mls', mls }))).toEqual([]);
  });
});
