import type { Bus } from '@chat/bus';
import { Topics, type AuthFailureSummary } from '@chat/contracts';
import type { Logger } from '@chat/runtime';

const MINUTE_MS = 60_000;
/** Subjects counted per minute; failures of further subjects in that minute are only logged. */
export const MAX_SUBJECTS_PER_MINUTE = 10_000;

type Subject = AuthFailureSummary['subject'];

/**
 * Failed authentications counted per subject per minute, as summaries of the minutes that ended.
 * Pure: the caller says what time it is.
 */
export class FailureWindow {
  private minute: number | null = null;
  private readonly counts = new Map<
    string,
    { subject: Subject; count: number; codes: Record<string, number> }
  >();
  private dropped = 0;

  constructor(private readonly gateway: string) {}

  /** Counts a failure at `now`, after closing the minute before it if that one ended. */
  add(subject: Subject, code: string, now: number): AuthFailureSummary[] {
    const closed = this.close(now);
    this.minute ??= Math.floor(now / MINUTE_MS);
    const key = `${subject.type}:${subject.id}`;
    let entry = this.counts.get(key);
    if (!entry) {
      if (this.counts.size >= MAX_SUBJECTS_PER_MINUTE) {
        this.dropped += 1;
        return closed;
      }
      entry = { subject, count: 0, codes: {} };
      this.counts.set(key, entry);
    }
    entry.count += 1;
    entry.codes[code] = (entry.codes[code] ?? 0) + 1;
    return closed;
  }

  /** The summaries of the counted minute if it ended before `now` (all of it with `now` omitted). */
  close(now = Number.POSITIVE_INFINITY): AuthFailureSummary[] {
    if (this.minute === null || Math.floor(now / MINUTE_MS) <= this.minute) return [];
    const minute = new Date(this.minute * MINUTE_MS).toISOString();
    const summaries = [...this.counts.values()].map(({ subject, count, codes }) => ({
      summary_id: crypto.randomUUID(),
      subject,
      minute,
      count,
      codes,
      gateway: this.gateway,
    }));
    this.counts.clear();
    this.minute = null;
    return summaries;
  }

  /** Failures not counted since the last call, for lack of room. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }
}

/**
 * Failed `authenticate` frames, published per subject per minute on `auth.failures` for the audit
 * log: the token's `sub` when it can be read, else the client's address. A minute's summaries go
 * out when the next failure or the periodic `flush` finds it ended, and all of them at `stop`.
 */
export class AuthFailures {
  private readonly window: FailureWindow;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bus: Bus,
    gateway: string,
    private readonly logger: Logger,
  ) {
    this.window = new FailureWindow(gateway);
  }

  failed(subject: Subject, code: string): void {
    this.publish(this.window.add(subject, code, Date.now()));
  }

  /** Publishes the minute counted if it ended. */
  flush(): void {
    this.publish(this.window.close(Date.now()));
  }

  /** Publishes what was counted, ended or not, and resolves once all is published (or failed). */
  async stop(): Promise<void> {
    this.publish(this.window.close());
    await Promise.all(this.inFlight);
  }

  private publish(summaries: AuthFailureSummary[]): void {
    const dropped = this.window.takeDropped();
    if (dropped > 0) {
      this.logger.warn(
        { dropped },
        'failed authentications of too many subjects in a minute; not all summarised',
      );
    }
    if (summaries.length === 0) return;
    const records = summaries.map((summary) => ({
      key: `${summary.subject.type}:${summary.subject.id}`,
      value: JSON.stringify(summary),
    }));
    const sent = this.bus
      .publish(Topics.authFailures, records)
      .catch((error: unknown) =>
        this.logger.error(
          { err: error, summaries: records.length },
          'failed-authentication summaries not published',
        ),
      )
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }
}
