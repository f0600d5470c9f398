import * as hdr from 'hdr-histogram-js';

/** Percentiles of one latency distribution, in milliseconds (microsecond resolution). */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
  max: number;
}

const ms = (micros: number) => Math.round(micros) / 1000;

/**
 * An HDR histogram of latencies, recorded in microseconds with three significant digits.
 *
 * Coordinated omission: callers record `now - intended`, where `intended` is the moment the
 * constant-rate schedule meant the request to leave, not the moment it actually left. A server
 * (or a generator) that stalls therefore shows the stall in every request it held up, instead
 * of hiding it behind requests that were never sent.
 */
export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(latencyMs: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p99_9: 0, max: 0 };
    // A percentile is reported as the top of its bucket (0.1 % wide), which can pass the largest
    // value actually recorded: no percentile is reported above the maximum.
    const at = (percentile: number) => ms(Math.min(h.getValueAtPercentile(percentile), h.maxValue));
    return {
      count: h.totalCount,
      mean: ms(h.mean),
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p99_9: at(99.9),
      max: ms(h.maxValue),
    };
  }

  /** The whole histogram, compressed (HdrHistogram's standard base64 form), for re-analysis. */
  encoded(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }
}
