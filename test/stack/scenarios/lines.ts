/**
 * What every scenario shares: the Scenario shape the e2e test drives, and line writers that
 * stamp OpenClaw's real envelopes (test/fixtures/build/envelopes.ts) with times just before
 * `now`, so Prometheus' rate()/increase() windows and the sidecar's cooldown clock see them as
 * current traffic.
 */
import { tslogLine, type Level, type Style } from "../../fixtures/build/envelopes.ts";

export interface Burst {
  /** Lines appended to openclaw-<date>.log. */
  log: string[];
  /** Lines appended to diagnostics-<date>.jsonl (our companion plugin's file). */
  jsonl?: string[];
}

/** An alert by name and the labels that identify it (host_name is added by the test). */
export interface ExpectedAlert { alertname: string; labels?: Record<string, string> }

export interface Scenario {
  /** host_name of this scenario's gateway: each scenario runs its own sidecar. */
  host: string;
  /** Lines of burst `i` (0-based); bursts are appended a second or two apart. */
  burst(i: number, now: number): Burst;
  /** Must be delivered to the webhook through Alertmanager. */
  fires: ExpectedAlert[];
  /** Must fire in Prometheus but be held back by Alertmanager's inhibition. */
  inhibited?: ExpectedAlert[];
  /** How this scenario's sidecar is started, when not plainly. */
  sidecar?: {
    /**
     * Extra `run` flags; `closedPort` is a 127.0.0.1 port nothing listens on, `collector` the
     * real Collector's OTLP/HTTP base URL on the collector path.
     */
    args?: (closedPort: number, collector?: string) => string[];
    /** Replace the state directory by a plain file once the sidecar runs (checkpoints fail). */
    loseStateDir?: boolean;
  };
}

/** The date part of OpenClaw's file names (local date, as the gateway writes it). */
export function localDate(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Gateway-log writer for one burst: the argument patterns of docs/openclaw-formats.md §1, each line
 * 5 ms after the previous, the whole burst ending at most 5 ms before `now`.
 */
export function gatewayLog(style: Style, now: number) {
  const lines: Array<(at: string) => string> = [];
  const push = (f: (at: string) => string) => { lines.push(f); };
  const api = {
    /** Pattern A: subsystem, text only. */
    a(sub: string, level: Level, text: string) { push((at) => tslogLine(style, { sub, level, at, args: [text] })); },
    /** Pattern B: subsystem, meta object then text (structured decisions). */
    b(sub: string, level: Level, meta: Record<string, unknown>, text: string) { push((at) => tslogLine(style, { sub, level, at, args: [meta, text] })); },
    /** Pattern C: root logger (the `All models failed` summary). */
    c(level: Level, text: string) { push((at) => tslogLine(style, { level, at, args: [text] })); },
    /** Pattern D: logVerbose (Carbon's Discord debug text). */
    d(text: string) { push((at) => tslogLine(style, { level: "DEBUG", at, args: [{ message: text }, "verbose"] })); },
    /** A diagnostic event echoed as text on subsystem `diagnostic`. */
    echo(text: string, level: Level = "DEBUG") { api.a("diagnostic", level, text); },
    /** 2026.9.6's marker when its file-log queue overflowed (no subsystem, `dropped` on top). */
    overflowMarker(dropped: number) {
      push((at) => {
        const text = `[openclaw] file log queue overflow; dropped ${dropped} oldest records`;
        return JSON.stringify({ "0": text, _meta: { date: at, hostname: "vm", logLevelName: "WARN", name: "openclaw" }, time: at.replace("Z", "+00:00"), hostname: "vm", message: text, dropped });
      });
    },
    /** The WebSocket and plugin chatter that makes up most of a real log. */
    chatter(n: number) {
      for (let k = 0; k < n; k++) {
        api.a("gateway/ws", "DEBUG", `ws ← req id=${7000 + k} method=chat.history ok=true durationMs=${3 + k}`);
        api.a("plugins", "INFO", "plugin loaded: id=memory-core version=2026.9.6 source=bundled");
      }
    },
    /** The burst's lines, stamped oldest first. */
    done(): string[] {
      const start = now - 5 * (lines.length + 1);
      return lines.map((f, k) => f(new Date(start + 5 * (k + 1)).toISOString()));
    },
  };
  return api;
}

/** Diagnostic JSONL events as the companion plugin appends them (`type`, fields, `ts`, `seq`). */
export function diagnosticsJsonl(now: number, firstSeq: number) {
  const events: Array<[string, Record<string, unknown>]> = [];
  return {
    ev(type: string, fields: Record<string, unknown>) { events.push([type, fields]); },
    done(): string[] {
      const start = now - 5 * (events.length + 1);
      return events.map(([type, fields], k) => JSON.stringify({ type, ...fields, ts: start + 5 * (k + 1), seq: firstSeq + k }));
    },
  };
}
