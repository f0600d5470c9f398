import { describe, expect, it } from 'vitest';
import { sendCommandId } from './command-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('sendCommandId', () => {
  it('is a version 5 UUID of the pair, stable across releases (computed independently)', () => {
    // Python: uuid.uuid5(UUID('702d2ac3-4c0c-4781-b6bf-ee01a9abfa92'), '["bob","x"]')
    expect(sendCommandId('bob', 'x')).toBe('1e565f4a-f049-58d1-90d4-fcecd46dd231');
  });

  it('gives the same pair the same id', () => {
    expect(sendCommandId('alice', 'm-1')).toBe(sendCommandId('alice', 'm-1'));
  });

  it('gives the same client id of two users two ids', () => {
    expect(sendCommandId('alice', 'm-1')).not.toBe(sendCommandId('bob', 'm-1'));
  });

  it('keeps pairs apart where a separator inside an id would join them', () => {
    const pairs: [string, string][] = [
      ['bob', 'x:y'],
      ['bob:x', 'y'],
      ['a', 'b:c'],
      ['a:b', 'c'],
      ['a', '","b'],
      ['a","', 'b'],
    ];
    const ids = pairs.map(([user, client]) => sendCommandId(user, client));
    expect(new Set(ids).size).toBe(pairs.length);
    expect(ids[0]).toBe('22ae81a3-b4a3-5c16-823a-f428c4e957dc');
    expect(ids[1]).toBe('31e948c8-001b-5167-9be6-21ab484b957d');
  });

  it("never is a client's own text, so no one can name another user's command", () => {
    const bobs = sendCommandId('bob', 'x');
    expect(sendCommandId('eve', 'bob:x')).not.toBe(bobs);
    expect(sendCommandId('eve', bobs)).not.toBe(bobs);
  });

  it('draws a new random id for each send without a client id', () => {
    const [first, second] = [sendCommandId('bob', undefined), sendCommandId('bob', null)];
    expect(first).toMatch(UUID);
    expect(first[14]).toBe('4');
    expect(first).not.toBe(second);
  });
});
