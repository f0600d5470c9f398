/** Where a relay or projection remembers how far it got, so it resumes there after a restart. */
export interface CheckpointStore {
  load(name: string): Promise<string | undefined>;
  save(name: string, position: string): Promise<void>;
}
