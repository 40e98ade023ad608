/**
 * The zod value types of the settings schema (schema.ts), used only for a config file,
 * whose values may also be numbers, lists or mappings. Flags and environment strings go through
 * the zod-free checks (values.ts, config-otel.ts); the string parsers are shared, and
 * test/telemetry/config-checks.test.ts holds both paths to the same values and messages.
 */
import { z } from "zod";
import { exporterNames, METRICS_EXPORTERS, parseTemporality, TRACES_EXPORTERS } from "./otel.ts";
import { parseHostList, parseKeyValues, parseListen, type Checked } from "./values.ts";

/** A zod transform over one of the shared string parsers. */
const via = <T>(parse: (raw: string) => Checked<T>) => (raw: string, ctx: z.core.$RefinementCtx<string>) => {
  const r = parse(raw);
  if (r.ok) return r.value;
  for (const message of r.messages) ctx.issues.push({ code: "custom", input: raw, message });
  return z.NEVER;
};

export const int = (min: number, max: number, error = `expected a whole number from ${min} to ${max}`) =>
  z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
export const bool = z.union(
  [z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")],
  { error: "expected true or false" },
);
/** The specification's booleans (otel.ts otelBool): "true" in any case, anything else false. */
export const otelBool = z.union([z.boolean(), z.string().transform((v) => v.trim().toLowerCase() === "true")]);
export const url = z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });
/** `k=v,k2=v2` (values percent-decoded) or, in a config file, a mapping. */
export const keyValues = z.union([z.record(z.string(), z.string()), z.string().transform(via(parseKeyValues))],
  { error: "expected key=value pairs separated by commas" });
export const listen = z.string().transform(via(parseListen));
/** Host names separated by commas or, in a config file, a list of them. */
export const hostList = z.union([z.array(z.string()).transform((l) => l.join(",")), z.string()]).transform(via(parseHostList));

export const protocol = z.enum(["http/protobuf", "http/json", "grpc"], { error: "expected http/protobuf, http/json or grpc" });
export const timeout = int(1, 600_000, "expected milliseconds, a whole number from 1 to 600000");
export const compression = z.enum(["gzip", "none"], { error: "expected gzip or none" });

const exporterList = (allowed: readonly string[]) =>
  z.union([z.array(z.string()), z.string().transform((s) => s.split(","))]).transform((list, ctx) => {
    const r = exporterNames(list, allowed);
    if (r.ok) return r.value;
    for (const message of r.messages) ctx.issues.push({ code: "custom", input: list, message });
    return z.NEVER;
  });
export const tracesExporters = exporterList(TRACES_EXPORTERS);
export const metricsExporters = exporterList(METRICS_EXPORTERS);
export const temporality = z.string().transform(via(parseTemporality));
