import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeSearchIndex } from './search-index.conformance';
import { SqliteSearchIndex } from './sqlite-search-index';

const directory = mkdtempSync(join(tmpdir(), 'search-index-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
describeSearchIndex('SQLite FTS5', async () =>
  SqliteSearchIndex.open(join(directory, `index-${++files}.db`)),
);
