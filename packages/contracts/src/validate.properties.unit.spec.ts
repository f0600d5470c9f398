import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientFrames, type ClientFrameType } from './frames/client';
import { parseClientFrame } from './validate';

/**
 * The gateway parses every text frame any socket sends with `parseClientFrame`: whatever the
 * bytes, it answers a value or a coded rejection, and never throws.
 */
const FRAME_TYPES = Object.keys(ClientFrames) as ClientFrameType[];

const roomId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,40}$/);
const clientMsgId = fc.string({ minLength: 1, maxLength: 128 });
const messageId = fc.string({ minLength: 1, maxLength: 64 });

/** Frames the parser must accept, one arbitrary per kind a client sends most. */
const validFrame = fc.oneof(
  fc.record({ type: fc.constant('authenticate'), token: fc.string({ minLength: 1, maxLength: 300 }) }),
  fc.record({ type: fc.constant('ping'), ts: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
  fc.record(
    { type: fc.constant('join_room'), room_id: roomId, last_seq: fc.nat() },
    { requiredKeys: ['type', 'room_id'] },
  ),
  fc.record({ type: fc.constant('leave_room'), room_id: roomId }),
  fc.record(
    {
      type: fc.constant('send_message'),
      room_id: roomId,
      content: fc.string({ maxLength: 500, unit: 'binary' }),
      message_type: fc.constant('text'),
      client_msg_id: clientMsgId,
      thread_id: messageId,
    },
    { requiredKeys: ['type', 'room_id', 'content'] },
  ),
  fc.record({
    type: fc.constant('presence_update'),
    status: fc.constantFrom('online', 'away', 'busy', 'offline'),
  }),
  fc.record({ type: fc.constant('typing'), room_id: roomId, state: fc.constantFrom('start', 'stop') }),
  fc.record({ type: fc.constant('mark_read'), room_id: roomId, seq: fc.integer({ min: 1 }) }),
);

type Frame = Record<string, unknown>;

/** One edit an attacker (or a buggy client) makes to a good frame's object. */
const objectMutation: fc.Arbitrary<(frame: Frame) => unknown> = fc.oneof(
  fc.constant((frame: Frame) => {
    const keys = Object.keys(frame);
    const { [keys[keys.length - 1] ?? 'type']: _dropped, ...rest } = frame;
    return rest;
  }),
  fc
    .tuple(
      fc.constantFrom('type', 'room_id', 'content', 'seq', 'status', 'token', 'last_seq'),
      fc.jsonValue(),
    )
    .map(([key, value]) => (frame: Frame) => ({ ...frame, [key]: value })),
  fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'extra', ''), fc.jsonValue())
    // An own `__proto__` key, as JSON.parse makes one from a frame's text.
    .map(
      ([key, value]) =>
        (frame: Frame) =>
          Object.defineProperty({ ...frame }, key, { value, enumerable: true }),
    ),
  fc.constantFrom(...FRAME_TYPES).map((type) => (frame: Frame) => ({ ...frame, type })),
  fc.jsonValue().map((value) => () => value),
);

/** One edit to a good frame's text. */
const textMutation: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
  fc
    .tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }))
    .map(([at, inserted]) => (text: string) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + inserted + text.slice(i);
    }),
  fc.tuple(fc.nat(), fc.nat({ max: 8 })).map(([at, length]) => (text: string) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + text.slice(i + length);
  }),
);

const expectAnswered = (text: string): void => {
  const parsed = parseClientFrame(text);
  if (parsed.ok) {
    expect(FRAME_TYPES).toContain(parsed.value.type);
    // What was accepted stays acceptable once passed on (unknown keys may not survive JSON).
    expect(parseClientFrame(JSON.stringify(parsed.value))).toMatchObject({
      ok: true,
      value: { type: parsed.value.type },
    });
  } else {
    expect(['invalid_frame', 'unknown_type']).toContain(parsed.error.code);
    expect(typeof parsed.error.message).toBe('string');
    expect(parsed.error.ref === null || typeof parsed.error.ref === 'string').toBe(true);
  }
};

describe('parseClientFrame under arbitrary input', () => {
  it('accepts every valid frame, unchanged', () => {
    fc.assert(
      fc.property(validFrame, (frame) => {
        expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, value: frame });
      }),
    );
  });

  it('answers any string with a frame or a coded rejection', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), expectAnswered), { numRuns: 1_000 });
  });

  it('answers any JSON document with a frame or a coded rejection', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectAnswered(JSON.stringify(value) ?? 'null')),
      { numRuns: 1_000 },
    );
  });

  it('answers valid frames edited as objects with a frame or a coded rejection', () => {
    fc.assert(
      fc.property(validFrame, fc.array(objectMutation, { minLength: 1, maxLength: 3 }), (frame, edits) => {
        const edited = edits.reduce<unknown>(
          (value, edit) => (typeof value === 'object' && value !== null ? edit(value as Frame) : value),
          frame,
        );
        expectAnswered(JSON.stringify(edited) ?? 'null');
      }),
      { numRuns: 1_000 },
    );
  });

  it('answers valid frames edited as text with a frame or a coded rejection', () => {
    fc.assert(
      fc.property(validFrame, fc.array(textMutation, { minLength: 1, maxLength: 3 }), (frame, edits) => {
        expectAnswered(edits.reduce((text, edit) => edit(text), JSON.stringify(frame)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses a frame that is not a JSON object, naming no reference', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
        (value) => {
          const parsed = parseClientFrame(JSON.stringify(value));
          expect(parsed).toMatchObject({ ok: false, error: { code: 'invalid_frame', ref: null } });
        },
      ),
    );
  });
});
