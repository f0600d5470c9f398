import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@chat/testkit';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, installed by infra/local when missing: playwright-core downloads no browser. */
export const chromiumExecutable = (): string =>
  execFileSync('bash', [join(REPO_ROOT, 'infra/local/chromium.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();

/** Headless, on loopback only; as root Chromium refuses its sandbox, which a test on this machine can do without. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    timeout: 30_000,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
