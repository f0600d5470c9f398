import { describe, expect, it } from 'vitest';
import { validEmoji } from './emoji';

const accepted = (emoji: string) => expect(validEmoji(emoji)).toEqual({ ok: true, value: emoji });
const refused = (emoji: string) =>
  expect(validEmoji(emoji)).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_emoji' }) });

describe('a reaction emoji', () => {
  it('is one emoji grapheme, however many code points it takes', () => {
    accepted('👍');
    accepted('❤️');
    accepted('👨‍👩‍👧‍👦'); // a ZWJ family
    accepted('🇫🇷'); // a flag: two regional indicators
    accepted('👋🏽'); // a skin tone
    accepted('🏳️‍🌈');
    accepted('🏴󠁧󠁢󠁳󠁣󠁴󠁿'); // a subdivision flag, with tag characters
    accepted('1️⃣'); // a keycap
  });

  it('or a :short_code: of at most 64 letters, digits, _ + -', () => {
    accepted(':thumbsup:');
    accepted(':+1:');
    accepted(':party_parrot-2:');
    accepted(`:${'a'.repeat(64)}:`);
  });

  it('is nothing else', () => {
    refused('');
    refused('ab');
    refused('a');
    refused('1');
    refused('👍👍');
    refused('👍🎉');
    refused('👍 ');
    refused('🇫');
    refused(':thumbsup');
    refused('::');
    refused(':thumbs up:');
    refused(':<script>:');
    refused(`:${'a'.repeat(65)}:`);
  });
});
