import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitForReady, type RunningProcess } from '@chat/testkit';

/**
 * The embedded platform as `pnpm start` runs it — its own process, the development secret, data in
 * a fresh directory — that a test can kill and start again on the same port and data.
 */
export class EmbeddedPlatform {
  private process: RunningProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<EmbeddedPlatform> {
    const platform = new EmbeddedPlatform(await freePort(), mkdtempSync(join(tmpdir(), 'chat-web-')));
    await platform.restart();
    return platform;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process (again, after `kill`) and waits until it is ready. */
  async restart(): Promise<void> {
    this.process = startProcess('services/embedded/src/main.ts', {
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATA_DIR: this.dataDir,
      JWT_SECRET_KEY: '',
      JWKS_URL: '',
      LOG_LEVEL: 'warn',
    });
    await waitForReady(`${this.url}/readyz`, this.process, 30_000);
  }

  /** Ends the process at once, as a crash would (SIGKILL): nothing is shut down in order. */
  async kill(): Promise<void> {
    await this.process?.stop('SIGKILL');
    this.process = null;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    this.process = null;
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
