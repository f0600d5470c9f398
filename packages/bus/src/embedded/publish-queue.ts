import type { RecordToAppend, TopicWrite } from './sqlite-log';

interface Pending {
  write: TopicWrite;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Gathers the publishes of one turn of the event loop and appends them in one transaction, in
 * call order: a commit costs the same for one record as for hundreds, and under load hundreds
 * arrive per turn (every socket's frame, every consumer's outcome).
 */
export class PublishQueue {
  private pending: Pending[] = [];
  private scheduled: Promise<void> | null = null;

  constructor(private readonly append: (writes: TopicWrite[]) => void) {}

  add(topic: string, records: RecordToAppend[]): Promise<void> {
    const added = new Promise<void>((resolve, reject) =>
      this.pending.push({ write: { topic, records }, resolve, reject }),
    );
    this.scheduled ??= new Promise<void>((done) =>
      setImmediate(() => {
        this.flush();
        done();
      }),
    );
    return added;
  }

  /** Resolves once everything queued so far is appended (or has failed). */
  async flushed(): Promise<void> {
    await this.scheduled;
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = null;
    try {
      this.append(batch.map(({ write }) => write));
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    for (const { resolve } of batch) resolve();
  }
}
