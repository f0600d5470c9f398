import { describe, expect, it } from 'vitest';
import { mentionsIn } from './mentions';

const members = new Set(['ann', 'bob', 'jo', 'jo.', 'mary.jane', 'x-ray', 'u_1']);
const mentions = (content: string) => mentionsIn(content, (id) => members.has(id));

describe('mentionsIn', () => {
  it('finds @user_id tokens of members, in order of first mention', () => {
    expect(mentions('@bob and @ann, look')).toEqual(['bob', 'ann']);
  });

  it('drops users who are not members of the room', () => {
    expect(mentions('@bob meet @stranger')).toEqual(['bob']);
  });

  it('lists a user mentioned twice once', () => {
    expect(mentions('@bob? @bob!')).toEqual(['bob']);
  });

  it('ends an id at whitespace or punctuation other than dots and dashes', () => {
    expect(mentions('(@ann), "@bob": hi;@u_1!')).toEqual(['ann', 'bob', 'u_1']);
  });

  it('keeps dots and dashes inside ids, and drops them where they end a sentence', () => {
    expect(mentions('ask @mary.jane or @x-ray.')).toEqual(['mary.jane', 'x-ray']);
    expect(mentions('thanks @bob.')).toEqual(['bob']);
    expect(mentions('thanks @bob...')).toEqual(['bob']);
  });

  it('prefers the longest id that is a member', () => {
    expect(mentions('hey @jo.')).toEqual(['jo.']);
    expect(mentionsIn('hey @jo.', (id) => id === 'jo')).toEqual(['jo']);
  });

  it('is not fooled by e-mail addresses, a bare @, or a prefix of a member id', () => {
    expect(mentions('write to bob@ann.example @ or @bo')).toEqual([]);
    expect(mentions('@bobby')).toEqual([]);
  });
});
