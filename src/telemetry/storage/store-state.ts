/**
 * The JSON-safe form of everything telemetry must remember across restarts: every series'
 * cumulative value, each metric's start time (so Prometheus and OTLP consumers never see a
 * counter reset when the sidecar restarts) and the state behind the stateful gauges.
 * The sidecar writes it in the same atomic checkpoint as the file offsets, so counters and
 * offsets always agree. Versioned: a change of shape bumps STATE_VERSION and old files are
 * rejected with a clear error rather than misread.
 */
import type { CleanAttrs } from "../naming/attributes.ts";
import type { MetricDef } from "../naming/catalogue.ts";

/** The store in memory: one state per metric, one series per label set. */
export interface HistogramState { counts: number[]; sum: number; count: number; min: number; max: number }
export interface Series { readonly attrs: CleanAttrs; value: number; hist?: HistogramState }
export interface MetricState {
  readonly def: MetricDef;
  readonly boundaries: readonly number[];
  startMs: number;
  readonly series: Map<string, Series>;
}

export const STATE_VERSION = 1;

/*
 * Checked by hand, not with a zod schema: the store is loaded by every command, `replay`
 * included, and zod costs ~0.17 CPU s and +18 MB at start-up (bench/README.md, issue 11).
 * Like a zod object, the parsed value holds the known fields only.
 */
export interface HistogramJson { counts: number[]; sum: number; count: number; min: number; max: number }
export interface SeriesJson { attrs: Record<string, string>; value?: number | undefined; hist?: HistogramJson | undefined }
export interface MetricStateJson {
  name: string;
  /** Decimal string: nanoseconds do not fit a JSON number exactly. */
  startTimeUnixNano: string;
  series: SeriesJson[];
}
export interface CooldownEntry {
  provider: string;
  window: "cooldown" | "disabled";
  /** Kept only here, in the local checkpoint: never a label. */
  profile: string;
  untilMs: number;
  /** The OpenClaw profile of the gateway (metric-sink.ts), when not the sidecar's default. */
  ocProfile?: string;
}
export interface StuckEntry { session: string; kind: "stuck" | "stalled"; lastWarningMs: number; ocProfile?: string }
export interface StoreState {
  version: typeof STATE_VERSION;
  metrics: MetricStateJson[];
  active: { eventClockMs: number; cooldowns: CooldownEntry[]; stuck: StuckEntry[] };
}

class Malformed extends Error {}
type Obj = Record<string, unknown>;

function obj(v: unknown, at: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Malformed(`expected an object at ${at}`);
  return v as Obj;
}
function arr(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new Malformed(`expected an array at ${at}`);
  return v;
}
function num(v: unknown, at: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Malformed(`expected a number at ${at}`);
  return v;
}
function str(v: unknown, at: string): string {
  if (typeof v !== "string") throw new Malformed(`expected a string at ${at}`);
  return v;
}
/** The optional OpenClaw profile of an active entry (absent in checkpoints before profiles). */
function ocProfileOf(o: Obj, at: string): { ocProfile?: string } {
  return o["ocProfile"] === undefined ? {} : { ocProfile: str(o["ocProfile"], `${at}.ocProfile`) };
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], at: string): T {
  if (!(allowed as readonly unknown[]).includes(v)) throw new Malformed(`expected one of ${allowed.join("|")} at ${at}`);
  return v as T;
}

function hist(v: unknown, at: string): HistogramJson {
  const h = obj(v, at);
  return {
    counts: arr(h["counts"], `${at}.counts`).map((c, i) => num(c, `${at}.counts[${i}]`)),
    sum: num(h["sum"], `${at}.sum`), count: num(h["count"], `${at}.count`),
    min: num(h["min"], `${at}.min`), max: num(h["max"], `${at}.max`),
  };
}

function series(v: unknown, at: string): SeriesJson {
  const s = obj(v, at);
  const a = obj(s["attrs"], `${at}.attrs`);
  const attrs: Record<string, string> = {};
  for (const k of Object.keys(a)) attrs[k] = str(a[k], `${at}.attrs.${k}`);
  const out: SeriesJson = { attrs };
  if (s["value"] !== undefined) out.value = num(s["value"], `${at}.value`);
  if (s["hist"] !== undefined) out.hist = hist(s["hist"], `${at}.hist`);
  return out;
}

function metric(v: unknown, at: string): MetricStateJson {
  const m = obj(v, at);
  const start = str(m["startTimeUnixNano"], `${at}.startTimeUnixNano`);
  if (!/^\d+$/.test(start)) throw new Malformed(`expected decimal digits at ${at}.startTimeUnixNano`);
  return { name: str(m["name"], `${at}.name`), startTimeUnixNano: start, series: arr(m["series"], `${at}.series`).map((x, i) => series(x, `${at}.series[${i}]`)) };
}

function active(v: unknown): StoreState["active"] {
  const a = obj(v, "active");
  return {
    eventClockMs: num(a["eventClockMs"], "active.eventClockMs"),
    cooldowns: arr(a["cooldowns"], "active.cooldowns").map((x, i) => {
      const c = obj(x, `active.cooldowns[${i}]`), at = `active.cooldowns[${i}]`;
      return {
        provider: str(c["provider"], `${at}.provider`), window: oneOf(c["window"], ["cooldown", "disabled"] as const, `${at}.window`),
        profile: str(c["profile"], `${at}.profile`), untilMs: num(c["untilMs"], `${at}.untilMs`), ...ocProfileOf(c, at),
      };
    }),
    stuck: arr(a["stuck"], "active.stuck").map((x, i) => {
      const s = obj(x, `active.stuck[${i}]`), at = `active.stuck[${i}]`;
      return {
        session: str(s["session"], `${at}.session`), kind: oneOf(s["kind"], ["stuck", "stalled"] as const, `${at}.kind`),
        lastWarningMs: num(s["lastWarningMs"], `${at}.lastWarningMs`), ...ocProfileOf(s, at),
      };
    }),
  };
}

/** Parses a saved state; throws an Error that says what is wrong with it. */
export function parseStoreState(input: unknown): StoreState {
  const version = (input as { version?: unknown } | null)?.version;
  if (version !== STATE_VERSION) {
    throw new Error(
      `telemetry state version ${JSON.stringify(version)} is not supported (expected ${STATE_VERSION}); ` +
        "delete the checkpoint to start counting afresh",
    );
  }
  try {
    const o = obj(input, "the top level");
    return { version: STATE_VERSION, metrics: arr(o["metrics"], "metrics").map((m, i) => metric(m, `metrics[${i}]`)), active: active(o["active"]) };
  } catch (err) {
    if (err instanceof Malformed) throw new Error(`telemetry state is malformed: ${err.message}`);
    throw err;
  }
}

export function msToUnixNano(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export function unixNanoToMs(nano: string): number {
  return Number(BigInt(nano) / 1000n) / 1000;
}
