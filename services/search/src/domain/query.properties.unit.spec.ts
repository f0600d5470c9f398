import { compile, Timestamp } from '@chat/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SearchOrder, SortKey } from '../application/search-index';
import { encodeCursor, planSearch } from './query';

const timestamp = compile(Timestamp);
const order = fc.constantFrom<SearchOrder>('recent', 'relevance');
const keyOf = (of: SearchOrder): fc.Arbitrary<SortKey> =>
  (of === 'recent'
    ? fc.tuple(fc.string(), fc.string())
    : fc.tuple(
        // Relevance scores are never negative, and JSON has no -0 to carry back.
        fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
        fc.string(),
        fc.string(),
      )) as fc.Arbitrary<SortKey>;

/** Strings shaped like the REST schema's date-time, including the days calendars do not have. */
const dateTimeLike = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 19 }),
    fc.integer({ min: 0, max: 39 }),
    fc.integer({ min: 0, max: 29 }),
    fc.integer({ min: 0, max: 69 }),
    fc.constantFrom('Z', '+00:00', '-12:30', '+99:99', '.123Z'),
  )
  .map(([y, mo, d, h, mi, zone]) => {
    const two = (n: number) => String(n).padStart(2, '0');
    return `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:00${zone}`;
  });

describe('planSearch under arbitrary input', () => {
  it('takes back the cursor it gave, in the same order only', () => {
    fc.assert(
      fc.property(
        order.chain((of) => fc.tuple(fc.constant(of), keyOf(of))),
        ([of, key]) => {
          const cursor = encodeCursor(of, key);
          expect(planSearch({ q: 'hello', sort: of, cursor })).toMatchObject({
            ok: true,
            value: { searchAfter: key },
          });
          const other = of === 'recent' ? 'relevance' : 'recent';
          expect(planSearch({ q: 'hello', sort: other, cursor })).toMatchObject({ ok: false });
        },
      ),
    );
  });

  it('answers any query text and cursor with a plan or invalid_request', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.option(fc.string()),
        order,
        (q, cursor, of) => {
          const planned = planSearch({ q, sort: of, ...(cursor === null ? {} : { cursor }) });
          if (!planned.ok) expect(planned.error.code).toBe('invalid_request');
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('plans every time the REST schema lets through', () => {
    fc.assert(
      fc.property(dateTimeLike, dateTimeLike, (before, after) => {
        fc.pre(timestamp.check(before) && timestamp.check(after));
        const planned = planSearch({ q: 'hello', before, after });
        expect(planned.ok).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});
