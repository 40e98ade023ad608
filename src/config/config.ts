/**
 * Reads the settings (table in settings.ts; help text and README options table generated
 * from it in help.ts, a test keeps the README equal to `optionsTableMarkdown()`).
 * Flags and environment are checked without zod; a config file (whose values may be numbers,
 * lists or mappings) through the zod schema in schema.ts, loaded only then.
 *
 * Sources, weakest first: schema defaults < config file (--config, JSON or YAML, keys as in the
 * "Config key" column) < environment < command-line flags. The OTLP variables follow the
 * OpenTelemetry SDK spec: an empty variable counts as unset, a signal-specific endpoint is used
 * as-is while the base endpoint gets `/v1/metrics` or `/v1/traces` appended, and header lists are
 * `key=value,key2=value2` with percent-encoded values.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resolveNotify, type NotifyConfig } from "./notify.ts";
import { exportNotes, resolveTarget, type OtlpTarget } from "./otel.ts";
import { KEYS, metaOf, SETTINGS, type Key, type ListenAddress, type Settings } from "./settings.ts";
import type { Raw } from "./values.ts";

export { helpText, optionsTableMarkdown } from "./help.ts";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export type { Compression, OtlpProtocol, OtlpTarget } from "./otel.ts";
export type { NotifyConfig, TargetConfig, TargetName } from "./notify.ts";
export { KEYS, metaOf, type Key, type ListenAddress, type SettingMeta, type Settings } from "./settings.ts";

export interface Config {
  configFile: string | undefined;
  logsDir: string;
  stateDir: string;
  /** OpenClaw's state directory whose session store is read (src/store); null: off. Optional for callers that build a Config. */
  openclawState?: string | null;
  fromBeginning: boolean;
  listen: ListenAddress | null;
  /** Extra Host names the HTTP server answers (serving/host-check.ts). */
  allowedHosts: string[];
  /** TLS and basic auth of the HTTP server (serving/web-config.ts); undefined: plain HTTP, open. */
  webConfigFile: string | undefined;
  /** The user's explicit yes to an unguarded non-loopback --listen (config/bind.ts). */
  insecureListen: boolean;
  pollIntervalMs: number;
  checkpointIntervalMs: number;
  seriesCap: number;
  hostName: string;
  /** Explicit label override; undefined leaves it to the wiring ("" is OpenClaw's default profile). */
  profile: string | undefined;
  logLevel: Settings["logLevel"];
  metricExportIntervalMs: number;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  /** A signal is null when no endpoint applies to it or the SDK is disabled. */
  export: { metrics: OtlpTarget | null; traces: OtlpTarget | null };
  /** What the chosen exporters will not do, warned at start-up (otel.ts exportNotes). */
  exportNotes: string[];
  /** Notification targets and grouping (src/notify); no targets: nothing is sent. */
  notify: NotifyConfig;
}

const flagName = (key: Key) => metaOf(key).flag.slice(2);
/** A setting without a value placeholder is a switch (`--from-beginning`, `--no-from-beginning`). */
const isBool = (key: Key) => metaOf(key).arg === undefined;
const label = (key: Key) => `${metaOf(key).flag} (${metaOf(key).env})`;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const flags = readFlags(argv);
  const fromEnv: Partial<Record<Key, unknown>> = {};
  for (const key of KEYS) {
    const v = env[metaOf(key).env];
    if (v !== undefined && v.trim() !== "") fromEnv[key] = v.trim();
  }
  const file = (flags.configFile ?? fromEnv.configFile) as string | undefined;
  const fromFile = file === undefined ? {} : readConfigFile(file);
  const origin = new Map<Key, string>();
  for (const [src, name] of [[fromFile, `config file ${file}`], [fromEnv, "environment"], [flags, "command line"]] as const) {
    for (const key of Object.keys(src) as Key[]) origin.set(key, name);
  }
  const merged: Partial<Record<Key, unknown>> = { ...fromFile, ...fromEnv, ...flags };
  const parsed = file === undefined ? checkStrings(merged as Partial<Record<Key, Raw>>) : checkWithSchema(merged);
  if ("issues" in parsed) {
    const lines = parsed.issues.map(({ key, message }) => {
      if (key === undefined) return message;
      // Header values may hold credentials: never echo them back.
      const raw = merged[key];
      const got = /Headers$/.test(key) || metaOf(key).secret === true || typeof raw === "object" || message.includes("got ") ? "" : ` (got ${JSON.stringify(raw)})`;
      return `${label(key)} from the ${origin.get(key) ?? "defaults"}: ${message}${got}`;
    });
    throw new ConfigError(`invalid settings:\n  ${lines.join("\n  ")}`);
  }
  return resolve(parsed.settings, env, { metrics: merged.metricsExporter !== undefined, traces: merged.tracesExporter !== undefined });
}

type Outcome = { settings: Settings } | { issues: { key: Key | undefined; message: string }[] };

/** Flags and environment only: every value is a string (or a switch's boolean). */
function checkStrings(given: Partial<Record<Key, Raw>>): Outcome {
  const out: Record<string, unknown> = {};
  const issues: { key: Key; message: string }[] = [];
  for (const key of KEYS) {
    const { check, default: def } = SETTINGS[key] as { check: (raw: Raw) => { ok: true; value: unknown } | { ok: false; messages: string[] }; default?: unknown };
    const raw = given[key];
    if (raw === undefined) {
      // A copy, as zod's .default() gives: a caller may change the settings it got.
      out[key] = Array.isArray(def) ? [...def] : typeof def === "object" && def !== null ? { ...def } : def;
      continue;
    }
    const r = check(raw);
    if (r.ok) out[key] = r.value;
    else for (const message of r.messages) issues.push({ key, message });
  }
  return issues.length > 0 ? { issues } : { settings: out as unknown as Settings };
}

/** A config file's values: the zod schema, loaded now (synchronously: parseConfig is). */
function checkWithSchema(merged: Partial<Record<Key, unknown>>): Outcome {
  const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
  const { settingsSchema } = createRequire(import.meta.url)(`./schema${ext}`) as typeof import("./schema.ts");
  const parsed = settingsSchema.safeParse(merged);
  if (parsed.success) return { settings: parsed.data as unknown as Settings };
  return { issues: parsed.error.issues.map((iss) => ({ key: iss.path[0] as Key | undefined, message: iss.message })) };
}

function readFlags(argv: string[]): Partial<Record<Key, unknown>> {
  const options = Object.fromEntries(KEYS.map((k) => [flagName(k), { type: isBool(k) ? "boolean" : "string" } as const]));
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false, allowNegative: true }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\nRun with --help to list the settings.`);
  }
  const out: Partial<Record<Key, unknown>> = {};
  for (const key of KEYS) if (values[flagName(key)] !== undefined) out[key] = values[flagName(key)];
  return out;
}

function readConfigFile(file: string): Partial<Record<Key, unknown>> {
  let doc: unknown;
  try {
    const text = readFileSync(file, "utf8");
    // yaml (~190 modules, ~14 MB) only for a YAML config file, never on a plain `run`; require
    // keeps config parsing synchronous.
    doc = file.endsWith(".json") ? JSON.parse(text) : (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse(text);
  } catch (err) {
    throw new ConfigError(`--config (OPENCLAW_OTEL_CONFIG): cannot read ${file}: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new ConfigError(`--config (OPENCLAW_OTEL_CONFIG): ${file} must hold a mapping of settings`);
  // A misspelt key would otherwise be ignored silently, which is worse than refusing to start.
  const unknown = Object.keys(doc).filter((k) => !KEYS.includes(k as Key) || k === "configFile");
  if (unknown.length > 0) {
    throw new ConfigError(`--config (OPENCLAW_OTEL_CONFIG): unknown key(s) in ${file}: ${unknown.join(", ")}; valid keys: ${KEYS.filter((k) => k !== "configFile").join(", ")}`);
  }
  return doc as Partial<Record<Key, unknown>>;
}

/** OpenClaw's state directory as OpenClaw finds it (2026.9.6 resolveStateDir): OPENCLAW_STATE_DIR, else ~/.openclaw. */
export function defaultOpenClawStateDir(env: NodeJS.ProcessEnv): string {
  const given = env.OPENCLAW_STATE_DIR?.trim();
  const home = env.HOME || os.homedir();
  if (given) return given === "~" || given.startsWith("~/") ? path.join(home, given.slice(1)) : path.resolve(given);
  return path.join(home, ".openclaw");
}

function resolve(s: Settings, env: NodeJS.ProcessEnv, explicitExporters: { metrics: boolean; traces: boolean }): Config {
  const notify = resolveNotify(s);
  if (!notify.ok) throw new ConfigError(`invalid settings:\n  ${notify.messages.join("\n  ")}`);
  const xdg = env.XDG_STATE_HOME;
  const stateBase = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), ".local", "state");
  const targets = { metrics: resolveTarget(s, "metrics"), traces: resolveTarget(s, "traces") };
  return {
    configFile: s.configFile,
    logsDir: s.logsDir,
    stateDir: s.stateDir ?? path.join(stateBase, "openclaw-otel-sidecar"),
    openclawState: s.openclawState === "off" ? null : s.openclawState ?? defaultOpenClawStateDir(env),
    fromBeginning: s.fromBeginning,
    listen: s.listen,
    allowedHosts: s.allowedHosts,
    webConfigFile: s.webConfigFile,
    insecureListen: s.insecureListen,
    pollIntervalMs: s.pollIntervalMs,
    checkpointIntervalMs: s.checkpointIntervalMs,
    seriesCap: s.seriesCap,
    hostName: s.hostName ?? s.resourceAttributes["host.name"] ?? os.hostname(),
    profile: s.profile,
    logLevel: s.logLevel,
    metricExportIntervalMs: s.metricExportIntervalMs,
    serviceName: s.serviceName,
    resourceAttributes: s.resourceAttributes,
    export: targets,
    exportNotes: exportNotes(s, explicitExporters, targets),
    notify: notify.value,
  };
}


// Start-up warning for a listen address reachable from other hosts (config-bind.ts).
export { bindRefusal, bindWarning } from "./bind.ts";
