/**
 * Flags and environment are checked without zod (config-values.ts, for `run`'s start-up cost);
 * a config file goes through the zod schema. Both must give the same value and the same
 * messages for every string a flag or variable can hold, and a switch's boolean.
 */
import { describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/config/schema.ts";
import { KEYS, SETTINGS, type Key } from "../../src/config/settings.ts";
import type { Raw } from "../../src/config/values.ts";

const common = ["", " ", "x", "0", "1", "true", "false", "-1", "abc", "off", "None", "1e3", "5.5", "Infinity", "NaN", "0x10"];
const byKind: Record<string, string[]> = {
  number: ["9", "10", "250", "60000", "60001", " 250 ", "1e20", "9007199254740993", "-0", "100", "3600000", "1000000", "1000", "86400000", "600000", "600001"],
  listen: ["127.0.0.1:9464", "[::1]:9464", "localhost", "host:70000", "0.0.0.0:1", "a b:1", "[fe80::1]:80"],
  url: ["http://c:4318", "https://x.example/path", " http://c:4318/ ", "ftp://x", "http:c", "HTTP://C:1", "http://", "https://a\tb", "mailto:x"],
  list: ["a=b", "a=b,c=d", "Authorization=Bearer%20abc, x-a=1", "=v", "k", "k=%zz", ",,a=1,", "a=b,=c"],
  exporters: ["otlp", "none", "console,otlp", "OTLP, console", "prometheus", "zipkin", "otlp,zipkin,jaeger", "none,otlp", ","],
  enums: ["debug", "info", "warn", "error", "INFO", "http/protobuf", "http/json", "grpc", "thrift", "gzip", "none", "GZIP"],
  temporality: ["cumulative", " Cumulative ", "delta", "LowMemory", "other"],
  names: ["default", "work.2", "a:b-c_d", "has space", "x".repeat(120), "x".repeat(121), "/tmp/openclaw"],
};
const samples: Raw[] = [...common, ...Object.values(byKind).flat(), true, false];

/** What zod makes of one value for one key: the value, or the messages in order. */
function viaZod(key: Key, raw: Raw): { ok: boolean; value?: unknown; messages?: string[] } {
  const r = settingsSchema.shape[key].safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, messages: r.error.issues.map((i) => i.message) };
}

describe("zod-free flag and environment checks", () => {
  it("agree with the config-file schema on every sample of every setting", () => {
    let compared = 0, accepted = 0, refused = 0;
    const differences: string[] = [];
    for (const key of KEYS) {
      for (const raw of samples) {
        // parseArgs gives booleans only to switches and strings only to the others.
        if ((typeof raw === "boolean") !== (SETTINGS[key].arg === undefined) && typeof raw === "boolean") continue;
        const mine = (SETTINGS[key].check as (r: Raw) => { ok: boolean; value?: unknown; messages?: string[] })(raw);
        const theirs = viaZod(key, raw);
        compared++;
        if (mine.ok) accepted++; else refused++;
        if (JSON.stringify(mine) !== JSON.stringify(theirs)) differences.push(`${key} ${JSON.stringify(raw)}: ${JSON.stringify(mine)} vs zod ${JSON.stringify(theirs)}`);
      }
    }
    expect(differences).toEqual([]);
    // Both outcomes are exercised for the comparison to mean something.
    expect(compared).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  it("gives zod's defaults, as copies", () => {
    const viaSchema = settingsSchema.parse({}) as Record<string, unknown>;
    for (const key of KEYS) expect(SETTINGS[key].default, key).toEqual(viaSchema[key]);
  });
});
