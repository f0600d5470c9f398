import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT, encodeCursor, MAX_QUERY_LENGTH, planSearch } from './query';

const refused = { ok: false, error: expect.objectContaining({ code: 'invalid_request' }) };

describe('search query rules', () => {
  it('normalises the text: trimmed, white space collapsed, Unicode normal form C', () => {
    const planned = planSearch({ q: '  cafe\u0301 \n\t menu ' });
    expect(planned).toMatchObject({ ok: true, value: { text: 'caf\u00e9 menu' } });
  });

  it('defaults to the newest first and a page of 20', () => {
    expect(planSearch({ q: 'x' })).toMatchObject({
      ok: true,
      value: { order: 'recent', limit: DEFAULT_LIMIT },
    });
  });

  it('refuses a query with no word in it, or one that is too long', () => {
    for (const q of ['', '   ', '?!', '***']) expect(planSearch({ q })).toEqual(refused);
    expect(planSearch({ q: 'a'.repeat(MAX_QUERY_LENGTH) }).ok).toBe(true);
    expect(planSearch({ q: 'a'.repeat(MAX_QUERY_LENGTH + 1) })).toEqual(refused);
  });

  it('turns time bounds into UTC ISO 8601, as messages are stamped', () => {
    expect(
      planSearch({ q: 'x', before: '2024-05-01T12:00:00+02:00', after: '2024-05-01T00:00:00Z' }),
    ).toMatchObject({
      ok: true,
      value: { before: '2024-05-01T10:00:00.000Z', after: '2024-05-01T00:00:00.000Z' },
    });
  });

  describe('cursors', () => {
    it('carries the sort key of the last hit to the next page', () => {
      const cursor = encodeCursor('relevance', [1.5, '2024-05-01T10:00:00.000Z', 'msg_a']);
      expect(planSearch({ q: 'x', sort: 'relevance', cursor })).toMatchObject({
        ok: true,
        value: { searchAfter: [1.5, '2024-05-01T10:00:00.000Z', 'msg_a'] },
      });
    });

    it('refuses a cursor of another order, or one that was tampered with', () => {
      const recent = encodeCursor('recent', ['2024-05-01T10:00:00.000Z', 'msg_a']);
      expect(planSearch({ q: 'x', sort: 'relevance', cursor: recent })).toEqual(refused);
      const forged = Buffer.from(JSON.stringify({ order: 'recent', key: [{ $gt: 1 }, 'x'] })).toString(
        'base64url',
      );
      for (const cursor of ['not-base64-json', forged, Buffer.from('[]').toString('base64url')]) {
        expect(planSearch({ q: 'x', cursor })).toEqual(refused);
      }
    });
  });
});
