/**
 * The companion plugin writes an allow-listed set of fields per event type, with free text
 * redacted by the sidecar's rules: every field the sidecar reads is on the list (nothing it
 * needs is lost), nothing else is written, and a secret in error/message/reason never reaches
 * the JSONL. The writer is the real one, on a temp dir.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALLOWED_FIELDS, eventToLine } from "../../plugin/event-line.js";
import { createDiagnosticsWriter } from "../../plugin/writer.js";
import { schemas } from "../../src/events/jsonl-schemas.ts";
import { parseLine } from "../../src/events/parse-line.ts";
import { SHAPES } from "../events/secret-shapes.ts";

const T0 = new Date(2026, 8, 6, 12, 0, 0).getTime();

/** The keys of a jsonl-schemas.ts schema (through its transform, if any). */
function schemaKeys(schema: unknown): string[] {
  const s = schema as { shape?: Record<string, unknown>; def?: { in?: unknown; schema?: unknown } };
  if (s.shape) return Object.keys(s.shape);
  return schemaKeys(s.def?.in ?? s.def?.schema);
}

describe("plugin allow-list", () => {
  it("covers every field the sidecar reads, for every type it knows", () => {
    for (const [type, schema] of Object.entries(schemas)) {
      const allowed = ALLOWED_FIELDS[type];
      expect(allowed, type).toBeDefined();
      for (const key of schemaKeys(schema).filter((k) => k !== "type" && k !== "ts")) expect(allowed, `${type}.${key}`).toContain(key);
    }
  });

  it("writes nothing else: unknown fields and types keep only the envelope", () => {
    const line = eventToLine({ type: "message.processed", ts: T0, seq: 3, channel: "telegram", outcome: "error", chatTitle: "Family", userName: "ada", trace: { traceId: "ab" } });
    expect(JSON.parse(line ?? "null")).toEqual({ type: "message.processed", ts: T0, seq: 3, channel: "telegram", outcome: "error", trace: { traceId: "ab" } });
    expect(JSON.parse(eventToLine({ type: "some.future.event", ts: T0, seq: 4, anything: "x" }) ?? "null")).toEqual({ type: "some.future.event", ts: T0, seq: 4 });
  });

  it("redacts every planted secret in free text before it reaches the JSONL, and the sidecar still parses the line", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "oc-allow-"));
    try {
      const w = createDiagnosticsWriter({ dir });
      SHAPES.forEach((shape, i) => {
        w.push({ type: "webhook.error", ts: T0 + i, seq: i, channel: "telegram", error: `send failed: ${shape.text}` });
        w.push({ type: "tool.loop", ts: T0 + i, seq: i, toolName: "exec", level: "warning", action: "warn", detector: "repeat", count: 3, message: `loop on ${shape.text}` });
        w.push({ type: "diagnostic.liveness.warning", ts: T0 + i, seq: i, reasons: [`probe ${shape.text}`] });
      });
      await w.flush();
      const text = await readFile(path.join(dir, "diagnostics-2026-09-06.jsonl"), "utf8");
      for (const shape of SHAPES) expect(text.includes(shape.secret), shape.name).toBe(false);
      const lines = text.trimEnd().split("\n");
      expect(lines).toHaveLength(SHAPES.length * 3);
      for (const l of lines.slice(0, 3)) {
        const parsed = parseLine({ source: "diagnostics", profile: "", path: "x.jsonl", offset: 0, line: l });
        expect(parsed.kind, l).toBe("events");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
