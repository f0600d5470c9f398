/**
 * Where an encrypted-room client keeps its key material: its KeyPackages' private keys and each
 * group's state (epoch secrets, ratchet tree). Memory by default; give a persistent one (a file,
 * IndexedDB) to keep rooms readable across restarts. Values are opaque bytes.
 */
export interface MlsKeyStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** The keys that start with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

export class MemoryKeyStore implements MlsKeyStore {
  private readonly entries = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    this.entries.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((key) => key.startsWith(prefix));
  }
}
