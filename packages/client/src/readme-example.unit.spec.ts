import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const blocks = [...read('../README.md').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);

describe('README', () => {
  it('shows the usage examples exactly as the code that the end-to-end suite runs', () => {
    expect(blocks[0]).toBe(read('./readme-example.ts'));
    expect(blocks[1]).toBe(read('./readme-tour.ts'));
  });
});
