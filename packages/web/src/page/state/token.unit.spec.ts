import { DEV_JWT_SECRET, signToken } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { subjectOf } from './token';

describe('the user a token names', () => {
  it('is its sub', async () => {
    expect(subjectOf(await signToken(DEV_JWT_SECRET, { userId: 'alice@example.org' }))).toBe(
      'alice@example.org',
    );
  });

  it('is null for what is not a token', () => {
    expect(subjectOf('not a token')).toBeNull();
    expect(subjectOf('a.%%%.c')).toBeNull();
  });
});
