import { describe, expect, it } from 'vitest';
import { Timestamp } from './primitives';
import { compile, parseClientFrame } from './validate';

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

  it('accepts every presence status and typing start and stop', () => {
    for (const status of ['online', 'away', 'busy', 'offline']) {
      expect(parseClientFrame(JSON.stringify({ type: 'presence_update', status })).ok).toBe(true);
    }
    for (const state of ['start', 'stop']) {
      expect(parseClientFrame(JSON.stringify({ type: 'typing', room_id: 'general', state })).ok).toBe(true);
    }
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
    // String() of this object throws: once enough for one frame to end the gateway's process.
    ['a type no string can be made of', '{"type":{"toString":1}}', 'unknown_type', null],
    ['a type that is an array', '{"type":["join_room"]}', 'unknown_type', null],
    ['a missing field', '{"type":"join_room"}', 'invalid_frame', 'join_room'],
    ['a wrong field type', '{"type":"join_room","room_id":5}', 'invalid_frame', 'join_room'],
    ['a negative last_seq', '{"type":"join_room","room_id":"a","last_seq":-1}', 'invalid_frame', 'join_room'],
    ['a bad room id', '{"type":"join_room","room_id":"../etc"}', 'invalid_frame', 'join_room'],
    ['an unknown status', '{"type":"presence_update","status":"asleep"}', 'invalid_frame', 'presence_update'],
    ['an unknown typing state', '{"type":"typing","room_id":"a","state":"pause"}', 'invalid_frame', 'typing'],
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

describe('compiled validators', () => {
  it('check ISO 8601 timestamps', () => {
    const timestamp = compile(Timestamp);
    expect(timestamp.check('2024-05-01T10:00:00.000Z')).toBe(true);
    expect(timestamp.check('2024-05-01T12:00:00+02:00')).toBe(true);
    expect(timestamp.check('yesterday')).toBe(false);
    expect(timestamp.check('2024-13-01T10:00:00Z')).toBe(false);
  });
});
