import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeKeyPackageDirectory } from './conformance';
import { SqliteKeyPackageDirectory } from './sqlite-key-package-directory';

const directory = mkdtempSync(join(tmpdir(), 'key-packages-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
describeKeyPackageDirectory('SQLite', async () =>
  SqliteKeyPackageDirectory.open(join(directory, `key-packages-${++files}.db`)),
);
