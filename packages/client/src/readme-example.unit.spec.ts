import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('README', () => {
  it('shows the usage example exactly as the code that the end-to-end suite runs', () => {
    const example = /```ts\n([\s\S]*?)```/.exec(read('../README.md'))?.[1];
    expect(example).toBe(read('./readme-example.ts'));
  });
});
