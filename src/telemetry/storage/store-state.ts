/**
 * The JSON-safe form of everything telemetry must remember across restarts: every series'
 * cumulative value, each metric's start time (so Prometheus and OTLP consumers never see a
 * counter reset when the sidecar restarts) and the state behind the stateful gauges.
 * The sidecar writes it in the same atomic checkpoint as the file offsets, so counters and
 * offsets always agree. Versioned: a change of shape bumps STATE_VERSION and old files are
 * rejected with a clear error rather than misread.
 */
import { z } from "zod";
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

const attrs = z.record(z.string(), z.string());
const hist = z.object({
  counts: z.array(z.number()),
  sum: z.number(),
  count: z.number(),
  min: z.number(),
  max: z.number(),
});
const series = z.object({ attrs, value: z.number().optional(), hist: hist.optional() });
const metric = z.object({
  name: z.string(),
  /** Decimal string: nanoseconds do not fit a JSON number exactly. */
  startTimeUnixNano: z.string().regex(/^\d+$/),
  series: z.array(series),
});
const cooldown = z.object({
  provider: z.string(),
  window: z.enum(["cooldown", "disabled"]),
  /** Kept only here, in the local checkpoint: never a label. */
  profile: z.string(),
  untilMs: z.number(),
});
const stuck = z.object({ session: z.string(), kind: z.enum(["stuck", "stalled"]), lastWarningMs: z.number() });
const active = z.object({
  eventClockMs: z.number(),
  cooldowns: z.array(cooldown),
  stuck: z.array(stuck),
});

export const storeStateSchema = z.object({
  version: z.literal(STATE_VERSION),
  metrics: z.array(metric),
  active,
});

export type StoreState = z.infer<typeof storeStateSchema>;
export type MetricStateJson = z.infer<typeof metric>;
export type CooldownEntry = z.infer<typeof cooldown>;
export type StuckEntry = z.infer<typeof stuck>;

/** Parses a saved state; throws an Error that says what is wrong with it. */
export function parseStoreState(input: unknown): StoreState {
  const version = (input as { version?: unknown } | null)?.version;
  if (version !== STATE_VERSION) {
    throw new Error(
      `telemetry state version ${JSON.stringify(version)} is not supported (expected ${STATE_VERSION}); ` +
        "delete the checkpoint to start counting afresh",
    );
  }
  const parsed = storeStateSchema.safeParse(input);
  if (!parsed.success) throw new Error(`telemetry state is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function msToUnixNano(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export function unixNanoToMs(nano: string): number {
  return Number(BigInt(nano) / 1000n) / 1000;
}
