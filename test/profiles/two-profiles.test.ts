/**
 * Several OpenClaw profiles on one host (issue 8): two real captures replayed from one directory
 * as `openclaw-home-…` and `openclaw-work-…` give two separate sets of series, each equal to its
 * own fake provider's record, on /metrics (the `openclaw_profile` label) and in OTLP (one
 * resource per profile). The captures: the debug-level 9.6 run (every request logged) and the
 * default-level 9.6 run (only non-2xx requests logged), test/fixtures/real/README.md.
 */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { replay } from "../../src/commands/replay.ts";
import { readFileLines } from "../../src/tail/file-reader.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { splitByProfile } from "../../src/telemetry/export/split-by-profile.ts";
import { resourceFromAttributes } from "@opentelemetry/resources";

const REAL = join(import.meta.dirname, "../fixtures/real");
interface Req { model: string; status: number }
const PROVIDER: Record<string, string> = { alpha: "fakea", beta: "fakeb", gamma: "fakec" };

/** Requests by provider/model/status as the sidecar labels them (a hang is a timeout, no status). */
function truth(file: string, loggedOnlyIfFailed: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of JSON.parse(readFileSync(join(REAL, file), "utf8")) as Req[]) {
    if (loggedOnlyIfFailed && r.status === 200) continue;
    const k = `${PROVIDER[r.model]}/${r.model}/${r.status === -1 ? "timeout" : r.status}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function twoProfileDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), "two-profiles-"));
  copyFileSync(join(REAL, "openclaw-2026-11-21.log"), join(dir, "openclaw-home-2026-11-21.log"));
  copyFileSync(join(REAL, "2026.9.6/openclaw-2026-11-30.log"), join(dir, "openclaw-work-2026-11-30.log"));
  return dir;
}

const HOME = truth("provider-record.json", false);
const WORK = truth("2026.9.6/provider-record.json", true);

describe("two profiles in one directory", () => {
  it("give two sets of /metrics series, each equal to its profile's provider record", async () => {
    const dir = twoProfileDir();
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => { text += c.toString(); });
    await replay(["--format", "prometheus", "--host-name", "h", "--no-progress",
      join(dir, "openclaw-home-2026-11-21.log"), join(dir, "openclaw-work-2026-11-30.log")], out, new PassThrough());
    const by: Record<string, Record<string, number>> = {};
    const re = /^openclaw_model_request_total\{(.*)\} (\d+)$/gm;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const l = Object.fromEntries([...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      const profile = l.openclaw_profile ?? "(none)";
      const k = `${l.openclaw_provider}/${l.openclaw_model}/${l.openclaw_http_status ?? l.openclaw_outcome}`;
      (by[profile] ??= {})[k] = ((by[profile] ??= {})[k] ?? 0) + Number(m[2]);
    }
    expect(by).toEqual({ home: HOME, work: WORK });
    // Every event-derived series names its profile; no series of the two is summed with the other.
    for (const line of text.split("\n")) {
      if (line.startsWith("openclaw_") && !line.startsWith("openclaw_sidecar_")) expect(line, line).toMatch(/openclaw_profile="(home|work)"/);
    }
    // One target_info per resource, as the collector would show two gateways.
    expect(text.match(/^target_info\{.*openclaw_profile="(home|work)".*\} 1$/gm)).toHaveLength(2);
    expect(Object.values(HOME).reduce((a, b) => a + b)).toBe(26);
    expect(Object.values(WORK).reduce((a, b) => a + b)).toBe(20);
  });

  it("give one OTLP resource per profile, the attribute moved from the points to the resource", async () => {
    const dir = twoProfileDir();
    const store = new MetricStore();
    const pipeline = new Pipeline({ store });
    for (const [name, profile] of [["openclaw-home-2026-11-21.log", "home"], ["openclaw-work-2026-11-30.log", "work"]] as const) {
      await readFileLines(join(dir, name), "log", profile, (r) => pipeline.handle(r));
    }
    pipeline.flushCounters();
    const parts = splitByProfile({ resource: resourceFromAttributes({ "service.name": "openclaw", "host.name": "h" }), scopeMetrics: [store.toScopeMetrics(0)] });
    expect(parts.map((p) => p.resource.attributes["openclaw.profile"])).toEqual([undefined, "home", "work"]);
    const sums = parts.map((p) => {
      const out: Record<string, number> = {};
      for (const s of p.scopeMetrics) for (const m of s.metrics) {
        if (m.descriptor.name !== "openclaw.model.request") continue;
        for (const dp of m.dataPoints) {
          const a = dp.attributes as Record<string, string>;
          expect(a["openclaw.profile"]).toBeUndefined();
          const k = `${a["openclaw.provider"]}/${a["openclaw.model"]}/${a["openclaw.http.status"] ?? a["openclaw.outcome"]}`;
          out[k] = (out[k] ?? 0) + (dp.value as number);
        }
      }
      return out;
    });
    expect(sums).toEqual([{}, HOME, WORK]);
    // The default resource keeps the sidecar's own metrics only.
    const own = parts[0]?.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)) ?? [];
    expect(own.length).toBeGreaterThan(0);
    for (const n of own) expect(n).toMatch(/^openclaw\.sidecar\./);
  });

  it("with --profile naming one of them, that profile's series carry the identity label, the other its own", async () => {
    const dir = twoProfileDir();
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => { text += c.toString(); });
    await replay(["--format", "prometheus", "--host-name", "h", "--profile", "home", "--no-progress",
      join(dir, "openclaw-home-2026-11-21.log"), join(dir, "openclaw-work-2026-11-30.log")], out, new PassThrough());
    const sum = (p: string) => [...text.matchAll(new RegExp(`^openclaw_model_request_total\\{.*openclaw_profile="${p}".*\\} (\\d+)$`, "gm"))].reduce((a, m) => a + Number(m[1]), 0);
    expect([sum("home"), sum("work")]).toEqual([26, 20]);
    expect(text).toMatch(/^openclaw_sidecar_lines_read_total\{.*openclaw_profile="home".*\} \d+$/m);
  });
});
