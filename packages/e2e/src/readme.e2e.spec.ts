import { afterAll, beforeAll, describe, it } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import { TEST_SECRET, type Harness } from './harness';
import { expectReadmeExamplesToRun } from './readme-examples';

describe("the README's examples against pnpm start", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEmbeddedHarness();
  });
  afterAll(() => h.stop());

  it('run unchanged: the Quick Start session and every curl example', async () => {
    await expectReadmeExamplesToRun(Number(new URL(h.apiUrl).port), { JWT_SECRET_KEY: TEST_SECRET });
  });
});
