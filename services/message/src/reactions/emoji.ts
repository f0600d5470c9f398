import { reject, type Rejection, type Result } from '@chat/contracts';

/** The longest short code name, between its colons. */
export const MAX_SHORT_CODE_LENGTH = 64;

const SHORT_CODE = new RegExp(`^:[\\p{L}\\p{Nd}_+-]{1,${MAX_SHORT_CODE_LENGTH}}:$`, 'u');
/**
 * What an emoji grapheme is made of: pictographs and the parts that join or modify them (ZWJ,
 * variation selectors, skin tones, regional indicators, tags, keycaps).
 */
const EMOJI_PARTS = /^(?:[\p{Extended_Pictographic}\p{Emoji_Component}]|\uFE0E)+$/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const FLAG = /^\p{Regional_Indicator}{2}$/u;
const KEYCAP = /^[#*0-9]\uFE0F?\u20E3$/u;

// Grapheme boundaries do not depend on the locale.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const isOneEmoji = (text: string): boolean => {
  const segments = graphemes.segment(text)[Symbol.iterator]();
  const first = segments.next();
  if (first.done || !segments.next().done) return false;
  return EMOJI_PARTS.test(text) && (PICTOGRAPH.test(text) || FLAG.test(text) || KEYCAP.test(text));
};

/**
 * A reaction is one emoji grapheme — a ZWJ family, a flag and a skin-toned hand are one each — or a
 * `:short_code:` (custom emoji are named by the client's own table). Anything else is `invalid_emoji`.
 */
export const validEmoji = (emoji: string): Result<string, Rejection> =>
  SHORT_CODE.test(emoji) || isOneEmoji(emoji)
    ? { ok: true, value: emoji }
    : {
        ok: false,
        error: reject(
          'invalid_emoji',
          `A reaction is one emoji or a :short_code: of at most ${MAX_SHORT_CODE_LENGTH} letters, digits, _ + -.`,
        ),
      };
