// OpenClaw plugin entry: subscribes to the gateway's diagnostic events and hands each one to
// the JSONL writer. OpenClaw keeps these events in memory only; this file is the only way the
// sidecar gets model.usage (tokens, cost) and the other full-fidelity events from disk.
//
// The SDK is imported lazily and by trying subpaths in order, so one file serves several
// OpenClaw versions: `plugin-sdk/diagnostic-runtime` exports the listeners in 6.11 and 9.6;
// 2026.4.24 exports them from `plugin-sdk/diagnostics-otel` instead. The
// default export is the plain object that `definePluginEntry` would return, so loading this
// module does not depend on any SDK subpath existing.
import { existsSync, mkdirSync, accessSync, constants } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EXCLUDED_TYPES } from "./event-line.js";
import { createDiagnosticsWriter } from "./writer.js";

export const PLUGIN_ID = "otel-sidecar-diagnostics";
const SDK_CANDIDATES = ["openclaw/plugin-sdk/diagnostic-runtime", "openclaw/plugin-sdk/diagnostics-otel"];

/** Types never written (listed once, in event-line.js): not even subscribed to where the SDK allows. */
export { EXCLUDED_TYPES };

/**
 * Finds the subscription function in the first SDK subpath that has one.
 *
 * `onInternalDiagnosticEvent` is preferred: in 9.6 `onDiagnosticEvent` drops every *trusted*
 * event, and model.usage, model.call.*, model.failover and run.* are emitted as trusted, so
 * the public listener would miss exactly the events the sidecar needs. The internal listener
 * gets the same events without their private payloads (those need onTrusted...).
 * @param {(specifier: string) => Promise<Record<string, unknown>>} [importer]
 * @returns {Promise<import("./index.d.ts").Subscribe>}
 */
export async function loadSubscribe(importer = (s) => import(s)) {
  /** @type {unknown[]} */
  const errors = [];
  for (const spec of SDK_CANDIDATES) {
    try {
      const mod = await importer(spec);
      const internal = mod.onInternalDiagnosticEvent;
      if (typeof internal === "function") {
        return (listener) => internal((/** @type {unknown} */ evt) => listener(evt), { exclude: EXCLUDED_TYPES });
      }
      if (typeof mod.onDiagnosticEvent === "function") return /** @type {import("./index.d.ts").Subscribe} */ (mod.onDiagnosticEvent);
    } catch (err) {
      errors.push(err);
    }
  }
  throw new Error(`no OpenClaw SDK subpath exports a diagnostic listener (tried ${SDK_CANDIDATES.join(", ")}): ${errors.map(String).join("; ")}`);
}

/** OpenClaw's encoding of a profile name in log file names (logger `encodeLogProfileSegment`). */
export function profileSegment(env = process.env) {
  const profile = env.OPENCLAW_PROFILE?.trim();
  if (!profile || profile.toLowerCase() === "default") return "";
  let out = "";
  for (const ch of profile) {
    if (/^[a-z0-9]$/.test(ch)) out += ch;
    else if (ch === "-") out += "--";
    else if (ch === "_") out += "-0";
    else if (/^[A-Z]$/.test(ch)) out += `-1${ch.toLowerCase()}`;
    else out += `-2${ch.codePointAt(0)?.toString(16) ?? "0"}-`;
  }
  return out.length <= 220 ? out : ""; // OpenClaw hashes longer ones; we fall back to no segment
}

/**
 * Where the gateway writes its log: beside `logging.file` when set, else /tmp/openclaw, else
 * OpenClaw's fallback `os.tmpdir()/openclaw-<uid>` when /tmp/openclaw is unusable.
 * @param {unknown} config the gateway config (api.config)
 */
export function resolveLogDir(config) {
  const file = /** @type {{logging?: {file?: unknown}}} */ (config ?? {}).logging?.file;
  if (typeof file === "string" && file.trim() !== "") return path.dirname(file);
  const preferred = "/tmp/openclaw";
  try {
    if (!existsSync(preferred)) mkdirSync(preferred, { recursive: true, mode: 0o700 });
    accessSync(preferred, constants.W_OK);
    return preferred;
  } catch {
    return path.join(os.tmpdir(), `openclaw-${process.getuid?.() ?? "user"}`);
  }
}

/** @param {unknown} v @param {number} min */
const num = (v, min) => (typeof v === "number" && Number.isFinite(v) && v >= min ? v : undefined);

/**
 * Wires the writer to the SDK registration object. Split from the default export so tests can
 * pass a fake `api` and a fake `subscribe`.
 * @param {import("./index.d.ts").PluginApiLike} api
 * @param {import("./index.d.ts").CompanionDeps} [deps]
 * @returns {import("./index.d.ts").Companion}
 */
export function registerCompanion(api, deps = {}) {
  const cfg = /** @type {Record<string, unknown>} */ (api.pluginConfig ?? {});
  const dir = typeof cfg.dir === "string" && cfg.dir !== "" ? cfg.dir : resolveLogDir(api.config);
  const retentionHours = num(cfg.retentionHours, 1);
  let lastErrorLog = 0;
  const writer = createDiagnosticsWriter({
    dir,
    profile: deps.profile ?? profileSegment(),
    flushIntervalMs: num(cfg.flushIntervalMs, 10),
    maxBatchBytes: num(cfg.maxBatchBytes, 1024),
    maxQueue: num(cfg.maxQueue, 16),
    retentionMs: retentionHours === undefined ? undefined : retentionHours * 3_600_000,
    onError: (err) => {
      // At most one warning a minute: a full disk must not flood the gateway log.
      const t = Date.now();
      if (t - lastErrorLog < 60_000) return;
      lastErrorLog = t;
      api.logger?.warn?.(`[${PLUGIN_ID}] diagnostics JSONL write failed: ${String(err)}`);
    },
  });
  /** @type {(() => void) | undefined} */
  let unsubscribe;
  const onExit = () => writer.flushSync();

  const start = async () => {
    if (unsubscribe) return;
    try {
      writer.open(); // stop() closed it; an in-process restart starts this same object again
      const subscribe = deps.subscribe ?? (await loadSubscribe(deps.importer));
      const off = subscribe((evt) => writer.push(evt));
      unsubscribe = typeof off === "function" ? off : () => {};
      process.on("exit", onExit);
      api.logger?.info?.(`[${PLUGIN_ID}] writing diagnostic events to ${dir}`);
    } catch (err) {
      api.logger?.warn?.(`[${PLUGIN_ID}] not started: ${String(err)}`);
    }
  };
  const stop = async () => {
    try {
      const off = unsubscribe;
      unsubscribe = undefined;
      off?.();
      process.off("exit", onExit);
      await writer.close();
    } catch (err) {
      api.logger?.warn?.(`[${PLUGIN_ID}] stop failed: ${String(err)}`);
    }
  };

  if (typeof api.registerService === "function") {
    api.registerService({ id: "diagnostics-jsonl", start, stop });
  } else {
    void start(); // hosts without services: subscribe at registration
  }
  return { dir, writer, start, stop };
}

export default {
  id: PLUGIN_ID,
  name: "OTel sidecar diagnostics JSONL",
  description: "Appends every diagnostic event as one JSON line for openclaw-otel-sidecar.",
  /** @param {import("./index.d.ts").PluginApiLike} api */
  register(api) {
    try {
      registerCompanion(api);
    } catch (err) {
      api.logger?.warn?.(`[${PLUGIN_ID}] register failed: ${String(err)}`);
    }
  },
};
