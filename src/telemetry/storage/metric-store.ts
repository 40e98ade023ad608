/**
 * MetricStore: we own the cumulative state instead of the OTel SDK's instruments, because the
 * SDK cannot be told "this counter already stood at 1234 before the restart". Every series
 * (metric name + sorted label set) is plain numbers; snapshotState()/restoreState() carry them
 * across restarts together with each metric's start time, and toScopeMetrics() hands them to
 * the SDK's export pipeline (through a MetricProducer) as cumulative data.
 */
// Types only: loading sdk-metrics costs ~20 MB of RSS, and a sidecar without OTLP export
// needs none of it (the enum values below are fixed by the OTel SDK's public API).
import type { ValueType } from "@opentelemetry/api";
import type { AggregationTemporality, DataPointType, MetricData, ScopeMetrics } from "@opentelemetry/sdk-metrics";
import { cleanAttributes, seriesKey, sortedAttrs, strictKeysDefault, type CleanAttrs, type RawAttrs } from "../naming/attributes.ts";
import { METRIC_BY_NAME, type MetricDef, type MetricName } from "../naming/catalogue.ts";
import { FUTURE_TOLERANCE_MS, newActiveState, restoreActive, snapshotActive, type ActiveState } from "./active-state.ts";
import {
  msToUnixNano, parseStoreState, STATE_VERSION, unixNanoToMs, type HistogramState, type MetricState, type Series, type StoreState,
} from "./store-state.ts";

/** [seconds, nanoseconds], the SDK's HrTime (what @opentelemetry/core's millisToHrTime gives). */
function millisToHrTime(ms: number): [number, number] {
  const seconds = Math.trunc(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

const CUMULATIVE = 1 as AggregationTemporality.CUMULATIVE;
const HISTOGRAM = 0 as DataPointType.HISTOGRAM;
const GAUGE = 2 as DataPointType.GAUGE;
const SUM = 3 as DataPointType.SUM;
/** @opentelemetry/api's ValueType.DOUBLE, a constant: importing the API costs ~6 MB at start-up. */
const DOUBLE = 1 as ValueType.DOUBLE;

/** The SDK's default explicit-bucket boundaries (sdk-metrics HistogramAggregation). */
export const SDK_DEFAULT_BOUNDARIES: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
export const DEFAULT_SERIES_CAP = 2000;
export const SCOPE_NAME = "openclaw";
/** The SDK's overflow attribute (sdk-metrics, cardinality limit). */
export const OVERFLOW_ATTRS: Readonly<CleanAttrs> = { "otel.metric.overflow": "true" };
const OVERFLOW_KEY = seriesKey(OVERFLOW_ATTRS);

export type { HistogramState, MetricState, Series } from "./store-state.ts";

export interface MetricStoreOptions {
  /** Series per metric before new label sets are dropped (and counted). */
  seriesCap?: number;
  /** Throw on an attribute key the catalogue does not list (default: unless NODE_ENV=production). */
  strictKeys?: boolean;
  /** Wall clock for metric start times (tests pass a fixed one). */
  now?: () => number;
  /** "Now" for the active state's future guard (default Date.now; `run`: WallClock.guardNow). */
  wallClock?: () => number;
  /** Most entries per active-state map (cooldown windows, stuck sessions). */
  activeLimit?: number;
  /** Latest time the event clock may move to (default: wallClock + FUTURE_TOLERANCE_MS). */
  clockLimit?: () => number;
}

export class MetricStore {
  readonly active: ActiveState;
  private readonly metrics = new Map<string, MetricState>();
  private readonly cap: number;
  private readonly strict: boolean;
  private readonly now: () => number;

  constructor(options: MetricStoreOptions = {}) {
    this.cap = options.seriesCap ?? DEFAULT_SERIES_CAP;
    this.strict = options.strictKeys ?? strictKeysDefault();
    this.now = options.now ?? Date.now;
    this.active = newActiveState(options.wallClock, options.activeLimit, options.clockLimit);
  }

  /** Adds to a counter. Negative or non-finite values are ignored: counters only grow. */
  add(name: MetricName, value: number, attrs: RawAttrs = {}): void {
    if (!Number.isFinite(value) || value < 0) return;
    const s = this.seriesFor(name, "counter", attrs);
    if (s) s.value += value;
  }

  /** Sets a gauge. */
  set(name: MetricName, value: number, attrs: RawAttrs = {}): void {
    if (!Number.isFinite(value)) return;
    const s = this.seriesFor(name, "gauge", attrs);
    if (s) s.value = value;
  }

  /** Raises a gauge to value if it is higher (or new): "newest timestamp seen" gauges. */
  setMax(name: MetricName, value: number, attrs: RawAttrs = {}): void {
    if (!Number.isFinite(value)) return;
    const s = this.seriesFor(name, "gauge", attrs);
    if (s && (s.value === 0 || value > s.value)) s.value = value;
  }

  /** Moves a gauge by delta (a running count such as consecutive failures; new series start at 0). */
  addToGauge(name: MetricName, delta: number, attrs: RawAttrs = {}): void {
    if (!Number.isFinite(delta)) return;
    const s = this.seriesFor(name, "gauge", attrs);
    if (s) s.value += delta;
  }

  /** Observes one histogram sample into the catalogue's buckets (upper bound inclusive, as OTel). */
  observe(name: MetricName, value: number, attrs: RawAttrs = {}): void {
    if (!Number.isFinite(value)) return;
    // Every histogram here measures an amount or a duration: a negative sample is a bad line the
    // parser should have rejected, and would corrupt the cumulative sum for good. Counted.
    if (value < 0) {
      this.add("openclaw.sidecar.series.dropped", 1, { "openclaw.metric": name });
      return;
    }
    const s = this.seriesFor(name, "histogram", attrs);
    if (!s) return;
    const m = this.metrics.get(name) as MetricState;
    const h = (s.hist ??= { counts: new Array<number>(m.boundaries.length + 1).fill(0), sum: 0, count: 0, min: value, max: value });
    let i = 0;
    while (i < m.boundaries.length && value > (m.boundaries[i] as number)) i++;
    h.counts[i] = (h.counts[i] as number) + 1;
    h.sum += value;
    h.count += 1;
    if (value < h.min) h.min = value;
    if (value > h.max) h.max = value;
  }

  /** Forgets one gauge series (a followed file that went away). */
  removeGauge(name: MetricName, attrs: RawAttrs = {}): void {
    const m = this.metrics.get(name);
    if (!m || m.def.kind !== "gauge") return;
    m.series.delete(seriesKey(cleanAttributes(m.def, attrs, this.strict)));
  }

  /** Every metric that has at least one series, sorted by name. */
  listMetrics(): MetricState[] {
    return [...this.metrics.values()].filter((m) => m.series.size > 0).sort((a, b) => (a.def.name < b.def.name ? -1 : 1));
  }

  private seriesFor(name: MetricName, kind: MetricDef["kind"], attrs: RawAttrs): Series | undefined {
    const m = this.metricFor(name);
    if (m.def.kind !== kind) throw new Error(`metric ${name} is a ${m.def.kind}, not a ${kind}`);
    const clean = cleanAttributes(m.def, attrs, this.strict);
    const key = seriesKey(clean);
    let s = m.series.get(key);
    if (s) return s;
    if (m.series.size >= this.cap) {
      // As the OTel SDK's cardinality limit does: the point goes to one overflow series without
      // its attributes, so sums over the metric stay right; the drop of its labels is counted.
      if (name !== "openclaw.sidecar.series.dropped") this.add("openclaw.sidecar.series.dropped", 1, { "openclaw.metric": name });
      s = m.series.get(OVERFLOW_KEY);
      if (!s) {
        s = { attrs: { ...OVERFLOW_ATTRS }, value: 0 };
        m.series.set(OVERFLOW_KEY, s);
      }
      return s;
    }
    s = { attrs: sortedAttrs(clean), value: 0 };
    m.series.set(key, s);
    return s;
  }

  private metricFor(name: string): MetricState {
    let m = this.metrics.get(name);
    if (m) return m;
    const def = METRIC_BY_NAME.get(name);
    if (!def) throw new Error(`metric ${name} is not in the catalogue`);
    m = { def, boundaries: def.buckets ?? SDK_DEFAULT_BOUNDARIES, startMs: this.now(), series: new Map() };
    this.metrics.set(name, m);
    return m;
  }

  snapshotState(): StoreState {
    return {
      version: STATE_VERSION,
      // Sorted, so the same counts always serialize to the same checkpoint bytes.
      metrics: [...this.metrics.values()].sort((a, b) => (a.def.name < b.def.name ? -1 : 1)).map((m) => ({
        name: m.def.name,
        startTimeUnixNano: msToUnixNano(m.startMs),
        series: [...m.series.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, s]) =>
          s.hist ? { attrs: { ...s.attrs }, hist: { ...s.hist, counts: [...s.hist.counts] } } : { attrs: { ...s.attrs }, value: s.value }),
      })),
      active: snapshotActive(this.active),
    };
  }

  /**
   * Replaces the whole state with a saved one. Throws on an unknown version or a malformed
   * file. A metric gone from the catalogue, or whose kind or buckets changed, starts afresh.
   */
  restoreState(input: unknown): void {
    const state = parseStoreState(input);
    this.metrics.clear();
    for (const saved of state.metrics) {
      const def = METRIC_BY_NAME.get(saved.name);
      if (!def) continue;
      const m: MetricState = { def, boundaries: def.buckets ?? SDK_DEFAULT_BOUNDARIES, startMs: unixNanoToMs(saved.startTimeUnixNano), series: new Map() };
      const fits = saved.series.every((s) =>
        def.kind === "histogram" ? s.hist?.counts.length === m.boundaries.length + 1 : s.value !== undefined);
      if (!fits) continue;
      for (const s of saved.series) {
        const attrs = sortedAttrs(s.attrs);
        m.series.set(seriesKey(attrs), s.hist ? { attrs, value: 0, hist: { ...s.hist, counts: [...s.hist.counts] } } : { attrs, value: s.value ?? 0 });
      }
      this.metrics.set(def.name, m);
    }
    this.dropFutureTimestamps();
    restoreActive(this, state.active);
  }

  /** "Newest time seen" gauges that a line dated far ahead raised (before the parser's guard). */
  private dropFutureTimestamps(): void {
    const limitS = (this.active.wallClock() + FUTURE_TOLERANCE_MS) / 1000;
    for (const name of ["openclaw.sidecar.event.last_seen", "openclaw.sidecar.source.last_line"]) {
      const m = this.metrics.get(name);
      if (m) for (const [key, s] of m.series) if (s.value > limitS) m.series.delete(key);
    }
  }

  /** The store as the SDK's ScopeMetrics: cumulative temporality, scope "openclaw". */
  toScopeMetrics(nowMs: number): ScopeMetrics {
    const endTime = millisToHrTime(nowMs);
    const metrics: MetricData[] = this.listMetrics().map((m) => {
      const descriptor = { name: m.def.name, description: m.def.description, unit: m.def.unit, valueType: DOUBLE };
      const startTime = millisToHrTime(m.startMs);
      const series = [...m.series.values()].sort((a, b) => (seriesKey(a.attrs) < seriesKey(b.attrs) ? -1 : 1));
      const base = { descriptor, aggregationTemporality: CUMULATIVE };
      if (m.def.kind === "histogram") {
        return {
          ...base, dataPointType: HISTOGRAM,
          dataPoints: series.map((s) => {
            const h = s.hist as HistogramState;
            return {
              startTime, endTime, attributes: { ...s.attrs },
              value: { buckets: { boundaries: [...m.boundaries], counts: [...h.counts] }, sum: h.sum, count: h.count, min: h.min, max: h.max },
            };
          }),
        };
      }
      const dataPoints = series.map((s) => ({ startTime, endTime, attributes: { ...s.attrs }, value: s.value }));
      return m.def.kind === "counter"
        ? { ...base, dataPointType: SUM, isMonotonic: true, dataPoints }
        : { ...base, dataPointType: GAUGE, dataPoints };
    });
    return { scope: { name: SCOPE_NAME }, metrics };
  }
}
