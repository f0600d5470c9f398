import { describe, expect, it } from 'vitest';
import { parseClientFrame } from './validate';

describe('client frames', () => {
  it.each([
    ['authenticate', { type: 'authenticate', token: 'jwt-token' }],
    [
      'send_message',
      { type: 'send_message', room_id: 'room-123', content: 'Hello everyone!', message_type: 'text' },
    ],
    ['join_room', { type: 'join_room', room_id: 'room-123' }],
    ['presence_update', { type: 'presence_update', status: 'online' }],
    [
      'share_file',
      {
        type: 'share_file',
        room_id: 'room-123',
        file_url: 'https://example.com/file.pdf',
        file_name: 'document.pdf',
        file_size: 1024000,
      },
    ],
  ])("accepts the specification's %s frame as written", (_, frame) => {
    expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, value: frame });
  });

  it('accepts join_room with last_seq and send_message with client_msg_id', () => {
    expect(parseClientFrame('{"type":"join_room","room_id":"general","last_seq":12}').ok).toBe(true);
    expect(
      parseClientFrame('{"type":"send_message","room_id":"general","content":"x","client_msg_id":"c1"}').ok,
    ).toBe(true);
  });

  it.each([
    ['not JSON', '{oops', 'invalid_frame', null],
    ['an array', '[]', 'invalid_frame', null],
    ['no type', '{"room_id":"general"}', 'unknown_type', null],
    ['an unknown type', '{"type":"fly"}', 'unknown_type', 'fly'],
    ['a missing field', '{"type":"join_room"}', 'invalid_frame', 'join_room'],
    ['a wrong field type', '{"type":"join_room","room_id":5}', 'invalid_frame', 'join_room'],
    ['a negative last_seq', '{"type":"join_room","room_id":"a","last_seq":-1}', 'invalid_frame', 'join_room'],
    ['a bad room id', '{"type":"join_room","room_id":"../etc"}', 'invalid_frame', 'join_room'],
    [
      'a bad message_type',
      '{"type":"send_message","room_id":"a","content":"x","message_type":"exe","client_msg_id":"c9"}',
      'invalid_frame',
      'c9',
    ],
  ])('refuses %s with a stable code and a ref', (_, text, code, ref) => {
    const parsed = parseClientFrame(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatchObject({ code, ref });
    if (!parsed.ok) expect(parsed.error.message.length).toBeGreaterThan(0);
  });
});
