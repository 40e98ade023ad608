/**
 * The page's charts: a bounded ring of per-minute buckets (24 h x 60 = 1440) for a few series,
 * in memory only. Bucket i holds minute `stamp[i]`; a bucket whose stamp is not the minute asked
 * for is empty, so old minutes never need clearing and a jump in time costs nothing.
 */
export const SERIES = ["ok", "failed", "turns", "failovers", "queue", "tokens"] as const;
export type SeriesName = (typeof SERIES)[number];
/** Queue depth is a level: a bucket keeps its largest value; the others are counts summed. */
const MAX_SERIES: ReadonlySet<SeriesName> = new Set(["queue"]);
/** Series name -> index, looked up once per event on the hot path (no indexOf, no Set). */
const INDEX = Object.fromEntries(SERIES.map((n, i) => [n, i])) as Record<SeriesName, number>;

const MINUTE = 60_000;
export const RING_MINUTES = 24 * 60;

export interface ChartSeries {
  name: SeriesName;
  /** One value per bucket, oldest first; null = no data in that bucket. */
  points: (number | null)[];
}

export interface Chart {
  /** Epoch ms of the first bucket's start, and each bucket's width. */
  from: number;
  bucketMs: number;
  series: ChartSeries[];
}

export class MinuteRing {
  private readonly stamp = new Float64Array(RING_MINUTES).fill(-1);
  private readonly values = SERIES.map(() => new Float64Array(RING_MINUTES));
  /** Which series ever got a value: a series never fed is shown as absent, never as zeros. */
  readonly fed = new Set<SeriesName>();
  private readonly fedFlags = new Uint8Array(SERIES.length);

  add(name: SeriesName, ts: number, v = 1): void {
    const minute = Math.floor(ts / MINUTE);
    const i = minute % RING_MINUTES;
    if (this.stamp[i] !== minute) {
      // A bucket older than the one held is from more than a day ago: not kept.
      if (this.stamp[i]! > minute) return;
      this.stamp[i] = minute;
      for (const arr of this.values) arr[i] = 0;
    }
    const arr = this.values[INDEX[name]]!;
    arr[i] = MAX_SERIES.has(name) ? Math.max(arr[i]!, v) : arr[i]! + v;
    if (!this.fedFlags[INDEX[name]]) { this.fedFlags[INDEX[name]] = 1; this.fed.add(name); }
  }

  /** `minutes` minutes up to `now`, in buckets of `per` minutes each. */
  chart(now: number, minutes: number, per: number): Chart {
    const last = Math.floor(now / MINUTE);
    const first = last - minutes + 1;
    const buckets = Math.ceil(minutes / per);
    const series: ChartSeries[] = [];
    for (const name of SERIES) {
      if (!this.fed.has(name)) continue;
      const arr = this.values[SERIES.indexOf(name)]!;
      const points: (number | null)[] = new Array(buckets).fill(null);
      for (let m = first; m <= last; m++) {
        const i = ((m % RING_MINUTES) + RING_MINUTES) % RING_MINUTES;
        if (this.stamp[i] !== m) continue;
        const b = Math.floor((m - first) / per);
        const v = arr[i]!;
        points[b] = MAX_SERIES.has(name) ? Math.max(points[b] ?? 0, v) : (points[b] ?? 0) + v;
      }
      series.push({ name, points });
    }
    return { from: first * MINUTE, bucketMs: per * MINUTE, series };
  }
}
