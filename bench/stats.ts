/**
 * The bench's statistics: a log-linear latency histogram (HDR-style, at most 1/128 relative error),
 * exact nearest-rank percentiles for checking it, and the summary every report row carries.
 * Workers fill one histogram each and send it to the orchestrator in sparse form, where they merge.
 */

/** Sub-buckets per power of two: values below 2 × SUB are exact, above that within 1/SUB. */
const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
/** Largest recordable value (about 35 minutes in µs); larger ones are clamped to it. */
export const MAX_TRACKABLE = 2 ** 31 - 1;
const BUCKETS = (31 - SUB_BITS) * SUB + 2 * SUB;

/** Bucket of a non-negative integer value: exact below 256, then 128 buckets per power of two. */
export function bucketIndex(value: number): number {
  const v = Math.min(MAX_TRACKABLE, Math.max(0, Math.round(value)));
  if (v < 2 * SUB) return v;
  const shift = 31 - Math.clz32(v) - SUB_BITS;
  return shift * SUB + (v >>> shift);
}

export function bucketLowerBound(index: number): number {
  if (index < 2 * SUB) return index;
  const shift = Math.floor(index / SUB) - 1;
  return (index - shift * SUB) * 2 ** shift;
}

/** The largest value that lands in bucket `index`. */
export function bucketUpperBound(index: number): number {
  if (index < 2 * SUB) return index;
  const shift = Math.floor(index / SUB) - 1;
  return bucketLowerBound(index) + 2 ** shift - 1;
}

/** `[bucketIndex, count]` pairs of the non-empty buckets: what crosses process boundaries. */
export interface SparseHistogram {
  buckets: [number, number][];
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export class Histogram {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  get count(): number {
    return this.#count;
  }

  record(value: number): void {
    const v = Math.min(MAX_TRACKABLE, Math.max(0, Math.round(value)));
    this.#counts[bucketIndex(v)] += 1;
    this.#count += 1;
    this.#sum += v;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
  }

  /**
   * Nearest-rank percentile: the smallest recorded value with at least p% of values at or below it,
   * reported as its bucket's upper bound (clamped to the recorded min and max). 0 when empty.
   */
  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.#counts[i];
      if (seen >= rank) return Math.min(this.#max, Math.max(this.#min, bucketUpperBound(i)));
    }
    return this.#max;
  }

  summary(): Summary {
    const empty = this.#count === 0;
    return {
      count: this.#count,
      min: empty ? 0 : this.#min,
      mean: empty ? 0 : this.#sum / this.#count,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: empty ? 0 : this.#max,
    };
  }

  toSparse(): SparseHistogram {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i += 1) {
      if (this.#counts[i] > 0) buckets.push([i, this.#counts[i]]);
    }
    return { buckets, count: this.#count, sum: this.#sum, min: this.#min, max: this.#max };
  }

  /** Add another histogram's counts (from this process or a worker's sparse copy). */
  merge(other: Histogram | SparseHistogram): void {
    const sparse = other instanceof Histogram ? other.toSparse() : other;
    if (sparse.count === 0) return;
    for (const [index, count] of sparse.buckets) this.#counts[index] += count;
    this.#count += sparse.count;
    this.#sum += sparse.sum;
    this.#min = Math.min(this.#min, sparse.min);
    this.#max = Math.max(this.#max, sparse.max);
  }

  static fromSparse(sparse: SparseHistogram): Histogram {
    const histogram = new Histogram();
    histogram.merge(sparse);
    return histogram;
  }

  /** `[value, percentile]` points of the distribution (one per non-empty bucket), for charts. */
  percentileCurve(): [number, number][] {
    const points: [number, number][] = [];
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      if (this.#counts[i] === 0) continue;
      seen += this.#counts[i];
      points.push([Math.min(this.#max, bucketUpperBound(i)), (seen / this.#count) * 100]);
    }
    return points;
  }
}

/** Exact nearest-rank percentile of an ascending array (the reference the histogram is tested against). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Ratio `a / b` rounded for reports; `undefined` when either side is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) {
    return undefined;
  }
  return Math.round((a / b) * 100) / 100;
}
