/**
 * OTLP conformance against the real receiver: the OpenTelemetry Collector built from its Go
 * modules (.stack/bin/otelcol-openclaw) with our otel-collector/config.yaml, on 127.0.0.1.
 * Every protocol (http/protobuf, http/json, grpc), with and without gzip, must deliver the
 * store's counter to the Collector's Prometheus exporter and have its spans accepted; a failed
 * export must be explained promptly with URL (no password), status and cause, once.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { startOtlpExport } from "../../src/telemetry/export/otlp-export.ts";
import { freePort } from "../stack/e2e-harness.ts";
import { startCollector, type Collector } from "../stack/otel-stack.ts";
import { stackBin } from "../stack/stack-helpers.ts";
import { canRun } from "../support/required.ts";

// The built Collector (scripts/build-stack.sh). Without it the suite skips, except in CI, where
// it fails by name (support/required.ts), as the end-to-end and receiver tests do.
const COLLECTOR = stackBin("otelcol-openclaw");
const HAVE_COLLECTOR = canRun("OTLP export to the real Collector", existsSync(COLLECTOR) ? undefined : `${COLLECTOR} is not built (run scripts/build-stack.sh)`);

function exportOnce(env: Record<string, string>, host: string) {
  const cfg = parseConfig(["--host-name", host], env);
  const store = new MetricStore({});
  store.add("openclaw.tokens", 42, { "openclaw.provider": "anthropic", "openclaw.model": "m", "openclaw.channel": "telegram", "openclaw.token": "input" });
  const failures: string[] = [];
  const warnings: string[] = [];
  const otlp = startOtlpExport(cfg, {
    produce: () => store.toScopeMetrics(Date.now()),
    onExportFailure: (s) => failures.push(s),
    log: { warn: (m) => warnings.push(m), info: () => {} },
  });
  otlp.tracer.startSpan("openclaw.model.usage").end();
  return { otlp, failures, warnings };
}

async function collectorHas(collector: Collector, host: string): Promise<boolean> {
  // The collector's batch processor flushes every 200 ms (otel-stack.ts): a bounded poll.
  for (let i = 0; i < 50; i++) {
    const text = await (await fetch(`http://${collector.promTarget}/metrics`)).text();
    if (text.split("\n").some((l) => l.startsWith("openclaw_tokens_total{") && l.includes(`host_name="${host}"`) && / 42$/.test(l))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe.skipIf(!HAVE_COLLECTOR)("OTLP export to the real Collector", () => {
  let collector: Collector;
  beforeAll(async () => {
    // Traces go on to Jaeger in the stack; here nobody listens there and the collector's own
    // retry of that leg does not affect what its receiver answers us.
    collector = await startCollector(`127.0.0.1:${await freePort()}`);
  }, 40_000);
  afterAll(async () => { await collector?.stop(); });

  for (const protocol of ["http/protobuf", "http/json", "grpc"] as const) {
    for (const compression of ["none", "gzip"] as const) {
      it(`${protocol} with compression ${compression}: metrics reach the Prometheus exporter, spans are accepted`, async () => {
        const host = `conf-${protocol.replace("/", "-")}-${compression}`;
        const endpoint = protocol === "grpc" ? collector.otlpGrpc : collector.otlpHttp;
        const env: Record<string, string> = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_COMPRESSION: compression };
        if (protocol !== "http/protobuf") env.OTEL_EXPORTER_OTLP_PROTOCOL = protocol; // http/protobuf: the default
        const { otlp, failures, warnings } = exportOnce(env, host);
        await otlp.forceFlush();
        expect(failures).toEqual([]);
        expect(warnings).toEqual([]);
        expect(await collectorHas(collector, host)).toBe(true);
        await otlp.shutdown();
      }, 20_000);
    }
  }

  it("logs a rejected export with the URL (no password), the HTTP status and the cause, once", async () => {
    // A path the collector does not serve: it answers 404.
    const url = collector.otlpHttp.replace("http://", "http://ada:hunter2@") + "/no/such/path";
    const { otlp, failures, warnings } = exportOnce({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: url, OTEL_TRACES_EXPORTER: "none" }, "conf-404");
    await otlp.forceFlush();
    await otlp.forceFlush();
    expect(failures).toEqual(["metrics", "metrics"]);
    expect(warnings).toHaveLength(1); // rate limited: once a minute per signal
    expect(warnings[0]).toContain(`OTLP metrics export to ${collector.otlpHttp}/no/such/path failed: HTTP 404`);
    expect(warnings.join("")).not.toContain("hunter2");
    await otlp.shutdown();
  }, 20_000);

  it("logs a refused connection at the first attempt, before the SDK's retries give up", async () => {
    const port = await freePort();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_TIMEOUT: "3000", OTEL_TRACES_EXPORTER: "none" };
    const { otlp, failures, warnings } = exportOnce(env, "conf-refused");
    const flushed = otlp.forceFlush();
    // Bounded wait for the warning while the export is still retrying.
    for (let i = 0; i < 40 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(warnings[0]).toMatch(/OTLP metrics export to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics failed: .*ECONNREFUSED/);
    expect(failures).toEqual([]); // the export itself has not given up yet
    await flushed;
    expect(failures).toEqual(["metrics"]);
    await otlp.shutdown();
  }, 20_000);

  it("OTEL_EXPORTER_OTLP_TIMEOUT bounds an export to a collector that never answers", async () => {
    const silent: Server = createServer(() => { /* accept, never answer */ });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_TIMEOUT: "500", OTEL_TRACES_EXPORTER: "none" };
    const { otlp, failures, warnings } = exportOnce(env, "conf-timeout");
    await otlp.forceFlush();
    expect(failures).toEqual(["metrics"]);
    expect(warnings[0]).toMatch(/timed out|timeout/i);
    expect(warnings[0]).toContain("500 ms timeout");
    await otlp.shutdown();
    silent.close();
  }, 20_000);
});
