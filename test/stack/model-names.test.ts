/**
 * An OpenRouter-style model name (`openrouter/anthropic/claude-sonnet-4`, as OpenClaw configs
 * write it) keeps its name from the log line to /metrics, the OTLP data points, the page's model
 * table and the alert a person reads (issue 24): the label rule allows `/`, and nothing on the
 * way turns it into `unknown`. The name comes from the lines written here.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { liveView } from "../../src/telemetry/export/live-view.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { canRun } from "../support/required.ts";
import { firingOver } from "./capture-alerts.ts";
import { replayCapture } from "./capture-replay.ts";
import { gatewayLog, localDate } from "./scenarios/lines.ts";
import { stackBin } from "./stack-helpers.ts";

const MODEL = "openrouter/anthropic/claude-sonnet-4";
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
/** One failed request to MODEL a minute for eight minutes: it fails again and again. */
const lines = Array.from({ length: 8 }, (_, m) => {
  const log = gatewayLog("9.6", T0 + m * 60_000);
  log.a("provider-transport-fetch", "DEBUG", `[model-fetch] response provider=openrouter api=openai-completions model=${MODEL} status=503 elapsedMs=${900 + m} dispatcher=reused contentType=application/json`);
  return log.done();
}).flat();

const dir = mkdtempSync(join(tmpdir(), "openclaw-model-names-"));
writeFileSync(join(dir, `openclaw-${localDate(T0)}.log`), `${lines.join("\n")}\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an OpenRouter-style model name", () => {
  const store = new MetricStore();
  const pipeline = new Pipeline({ store, guardClock: () => T0 + 3_600_000 });
  lines.forEach((line, i) => pipeline.handle({ source: "log", profile: "", path: "/tmp/openclaw/x.log", offset: i * 1000, line }));
  pipeline.flushCounters();

  it("is a label on /metrics", () => {
    const text = renderPrometheus(store, { hostName: "gw", profile: "default" });
    expect(text).toMatch(new RegExp(`openclaw_model_request_total\\{[^}]*openclaw_model="${MODEL}"[^}]*\\} 8\\n`));
    expect(text).not.toMatch(/openclaw_model="unknown"/);
  });

  it("is an attribute of the OTLP data points", () => {
    const scope = store.toScopeMetrics(T0 + 600_000);
    const json = JSON.stringify(scope);
    expect(json).toContain(MODEL);
  });

  it("names its row in the page's model table", () => {
    expect(liveView(store).models(50).map((m) => m.model)).toContain(MODEL);
  });

  const promtool = canRun("model names through the alert rules", existsSync(stackBin("promtool")) ? undefined : "promtool not built (scripts/build-stack.sh)");
  it.runIf(promtool)("is the model the alert names", () => {
    const fired = firingOver(replayCapture(dir, "gw")).filter((f) => f.alert === "OpenClawModelFailingRepeatedly");
    expect(fired.length).toBeGreaterThan(0);
    for (const f of fired) {
      expect(f.labels.openclaw_model).toBe(MODEL);
      expect(f.annotations.description).toContain(`openrouter/${MODEL}`);
    }
  }, 60_000);
});
