import fc from 'fast-check';
import { ClientFrames, type ClientFrameType } from '../frames/client';

/**
 * Client frames for property tests and fuzzing: valid ones, and the edits an attacker (or a
 * buggy client) makes to them. Not part of the package's entry point: only tests import it.
 */
export const CLIENT_FRAME_TYPES = Object.keys(ClientFrames) as ClientFrameType[];

/** Where frames point: any id by default; a fuzz run narrows them to rooms and messages that exist. */
export interface FrameTargets {
  roomId: fc.Arbitrary<string>;
  messageId: fc.Arbitrary<string>;
}

export const anyTargets: FrameTargets = {
  roomId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,40}$/),
  messageId: fc.string({ minLength: 1, maxLength: 64 }),
};

/** Frames the parser must accept, covering every type a client sends. */
export const validClientFrame = ({ roomId, messageId }: FrameTargets = anyTargets) => {
  const clientMsgId = fc.string({ minLength: 1, maxLength: 128 });
  return fc.oneof(
    fc.record({ type: fc.constant('authenticate'), token: fc.string({ minLength: 1, maxLength: 300 }) }),
    fc.record({
      type: fc.constant('ping'),
      // JSON has no -0 to carry back.
      ts: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((ts) => !Object.is(ts, -0)),
    }),
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
    fc.record({
      type: fc.constant('share_file'),
      room_id: roomId,
      file_url: fc.webUrl(),
      file_name: fc.string({ minLength: 1, maxLength: 255 }),
      file_size: fc.nat(),
    }),
    fc.record({ type: fc.constant('mark_read'), room_id: roomId, seq: fc.integer({ min: 1 }) }),
    fc.record({
      type: fc.constant('react'),
      room_id: roomId,
      message_id: messageId,
      emoji: fc.constantFrom('👍', '🎉', '❤️', 'x'),
      action: fc.constantFrom('add', 'remove'),
    }),
  );
};

type FrameObject = Record<string, unknown>;

/** JSON objects whose keys shadow Object.prototype's: `String({toString: 1})` throws. */
const objectPrototypeShadow = fc.dictionary(
  fc.constantFrom('toString', 'valueOf', 'toJSON', 'constructor', 'hasOwnProperty'),
  fc.jsonValue({ maxDepth: 1 }),
  { minKeys: 1 },
);

/** One edit to a good frame's object: a key dropped, a value replaced, a key added, the type swapped. */
export const frameObjectEdit: fc.Arbitrary<(frame: FrameObject) => unknown> = fc.oneof(
  fc.constant((frame: FrameObject) => {
    const keys = Object.keys(frame);
    const { [keys[keys.length - 1] ?? 'type']: _dropped, ...rest } = frame;
    return rest;
  }),
  fc
    .tuple(
      fc.constantFrom('type', 'room_id', 'content', 'seq', 'status', 'token', 'last_seq', 'message_id'),
      fc.oneof(fc.jsonValue(), objectPrototypeShadow),
    )
    .map(([key, value]) => (frame: FrameObject) => ({ ...frame, [key]: value })),
  fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'extra', ''), fc.jsonValue())
    // An own `__proto__` key, as JSON.parse makes one from a frame's text.
    .map(
      ([key, value]) =>
        (frame: FrameObject) =>
          Object.defineProperty({ ...frame }, key, { value, enumerable: true }),
    ),
  fc.constantFrom(...CLIENT_FRAME_TYPES).map((type) => (frame: FrameObject) => ({ ...frame, type })),
  fc.jsonValue().map((value) => () => value),
);

/** One edit to a good frame's text: cut short, characters inserted, characters removed. */
export const frameTextEdit: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 4, unit: 'binary' })).map(([at, inserted]) => {
    return (text: string) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + inserted + text.slice(i);
    };
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 8 })).map(([at, length]) => (text: string) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + text.slice(i + length);
  }),
);

/** A valid frame after some edits to its object. */
export const objectEditedFrameText = (targets: FrameTargets = anyTargets) =>
  fc
    .tuple(validClientFrame(targets), fc.array(frameObjectEdit, { minLength: 1, maxLength: 3 }))
    .map(([frame, edits]) => {
      const edited = edits.reduce<unknown>(
        (value, edit) => (typeof value === 'object' && value !== null ? edit(value as FrameObject) : value),
        frame,
      );
      return JSON.stringify(edited) ?? 'null';
    });

/** A valid frame after some edits to its text. */
export const textEditedFrameText = (targets: FrameTargets = anyTargets) =>
  fc
    .tuple(validClientFrame(targets), fc.array(frameTextEdit, { minLength: 1, maxLength: 3 }))
    .map(([frame, edits]) => edits.reduce((text, edit) => edit(text), JSON.stringify(frame)));

/** What a fuzzer sends: mostly frames that are nearly right, some valid, some noise. */
export const hostileFrameText = (targets: FrameTargets = anyTargets): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: validClientFrame(targets).map((frame) => JSON.stringify(frame)), weight: 3 },
    { arbitrary: objectEditedFrameText(targets), weight: 3 },
    { arbitrary: textEditedFrameText(targets), weight: 2 },
    { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 1 },
  );
