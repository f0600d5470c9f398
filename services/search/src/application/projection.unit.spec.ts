import type { MessageServiceEvent } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { searchChanges } from './projection';

const T = '2026-12-05T10:00:00.000Z';
const sent = (more: object = {}) =>
  ({
    type: 'MessageSent',
    data: {
      room_id: 'r1',
      message_id: 'm1',
      seq: 1,
      sender_id: 'ann',
      content: 'hello',
      message_type: 'text',
      client_msg_id: null,
      created_at: T,
      ...more,
    },
  }) as MessageServiceEvent;

describe('what an event changes in the search index', () => {
  it('indexes a message as it was opened', () => {
    expect(searchChanges(sent())).toEqual([
      expect.objectContaining({
        kind: 'message_indexed',
        message: expect.objectContaining({ content: 'hello' }),
      }),
    ]);
  });

  it('removes a message whose key was destroyed rather than index it empty', () => {
    expect(searchChanges(sent({ content: '', erased: true }))).toEqual([
      { kind: 'message_removed', message_id: 'm1' },
    ]);
    const edit = {
      type: 'MessageEdited',
      data: {
        room_id: 'r1',
        message_id: 'm1',
        seq: 1,
        content: '',
        edit_id: 'e1',
        edited_at: T,
        expired: true,
      },
    } as MessageServiceEvent;
    expect(searchChanges(edit)).toEqual([{ kind: 'message_removed', message_id: 'm1' }]);
  });

  it('skips an end-to-end encrypted room’s messages: they are ciphertext', () => {
    const mls = { message: 'AAEAAg==', epoch: 0, content_type: 'application' as const };
    expect(searchChanges(sent({ content: '', message_type: 'mls', mls }))).toEqual([]);
  });
});
