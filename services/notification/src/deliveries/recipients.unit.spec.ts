import { describe, expect, it } from 'vitest';
import { isNews, PREVIEW_LENGTH, previewOf, recipientsOf } from './recipients';

describe('recipientsOf', () => {
  it('notifies the members but the sender who are offline and have not muted the room', () => {
    expect(
      recipientsOf({
        members: ['alice', 'bob', 'carol', 'dave'],
        senderId: 'alice',
        online: new Set(['carol']),
        muted: new Set(['dave']),
      }),
    ).toEqual(['bob']);
  });
});

describe('previewOf', () => {
  it('keeps short content, cuts long content without splitting a character', () => {
    expect(previewOf('hi', 'text')).toBe('hi');
    const long = '😀'.repeat(PREVIEW_LENGTH + 5);
    const preview = previewOf(long, 'text');
    expect([...preview]).toHaveLength(PREVIEW_LENGTH);
    expect(preview.endsWith('…')).toBe(true);
    expect(previewOf('', 'file', 'photo.png')).toBe('📎 photo.png');
  });
});

describe('isNews', () => {
  it('pushes recent messages only, not history replayed by a rebuilt consumer', () => {
    const now = new Date('2024-05-01T10:00:00.000Z');
    expect(isNews('2024-05-01T09:59:00.000Z', now)).toBe(true);
    expect(isNews('2024-05-01T09:00:00.000Z', now)).toBe(false);
  });
});
