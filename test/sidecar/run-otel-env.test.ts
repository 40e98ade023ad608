/**
 * The OTEL_* handling on the real CLI (`node src/cli.ts run`): an unreachable collector is
 * explained at once with its URL (no password) and cause, once per minute however many
 * attempts fail; an unsupported temporality stops start-up with the reason (exit 2).
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { freePort } from "../stack/e2e-harness.ts";
import { CLI, startCli } from "./helpers.ts";

describe("run with OTEL_* variables", () => {
  it("logs an unreachable collector promptly, with URL and cause, rate limited", async () => {
    const dir = mkdtempSync(join(tmpdir(), "run-otel-env-"));
    const port = await freePort();
    const child = startCli(["run", "--logs", dir, "--state-dir", join(dir, "state"), "--listen", "127.0.0.1:0", "--metric-export-interval", "1000"], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://ada:hunter2@127.0.0.1:${port}`, OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
    });
    try {
      const url = await child.url;
      const wanted = new RegExp(`WARN OTLP metrics export to http://127\\.0\\.0\\.1:${port}/v1/metrics failed: .*ECONNREFUSED`);
      // Bounded wait until at least two whole exports have failed (each after its retries).
      const failed = async () => Number(/^openclaw_sidecar_export_failure_total\{[^}]*openclaw_signal="metrics"[^}]*\} (\d+)/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
      for (let i = 0; i < 150 && (await failed()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await failed()).toBeGreaterThanOrEqual(2);
      const err = child.stderr();
      expect(err).toMatch(wanted);
      expect(err.match(/OTLP metrics export to/g)).toHaveLength(1);
      expect(err).not.toContain("hunter2");
    } finally {
      child.proc.kill("SIGTERM");
      await child.exited;
    }
  }, 30_000);

  it("refuses OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta with the reason, exit 2", async () => {
    const r = await promisify(execFile)(process.execPath, [CLI, "run", "--listen", "off"], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "delta" }, timeout: 20_000,
    }).then(() => ({ code: 0, stderr: "" }), (e: { code: number; stderr: string }) => e);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"delta" is not supported: the sidecar\'s counters are cumulative and survive restarts');
  }, 30_000);
});
