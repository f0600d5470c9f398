import { announce, resolveServer, type ServerKind, type ServerResolution } from './servers';

/** An id no other test uses, so tests can share one server. */
export const uniqueId = (prefix: string): string => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/** A read model opened for one test, and how to close it and drop what it stored. */
export interface OpenedReadModel<T> {
  readModel: T;
  dispose: () => Promise<void>;
}

/** Wraps a test of a read model: opens one for it with `open`, and disposes of it afterwards. */
export const withOpenedReadModel =
  <T>(open: () => Promise<OpenedReadModel<T>>) =>
  (test: (readModel: T) => Promise<void>) =>
  async (): Promise<void> => {
    const { readModel, dispose } = await open();
    try {
      await test(readModel);
    } finally {
      await dispose();
    }
  };

/**
 * Runs `body` (which declares the suites) on the real server of `kind` when there is one, and
 * otherwise declares a skipped suite saying why; either way announces which.
 */
export const onServer = async (
  kind: ServerKind,
  suite: string,
  body: (server: Extract<ServerResolution, { available: true }>) => void,
): Promise<void> => {
  const server = await resolveServer(kind);
  announce(suite, server);
  if (server.available) {
    body(server);
    return;
  }
  // Imported here, not at the top: the testkit also serves processes outside vitest (the benchmarks' fleet).
  const { describe, it } = await import('vitest');
  describe.skip(`${suite} — ${server.reason}`, () => it('needs its server or a container engine', () => {}));
};
