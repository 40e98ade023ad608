/**
 * Every setting of the sidecar, in ONE table: each carries its flag, environment variable,
 * default, meaning and value check. The parser (config.ts), the zod schema for config files
 * (schema.ts) and the help text and README options table (help.ts) all read it,
 * so they can never disagree. Nothing here loads zod: `run` parses flags and environment on
 * every start (bench/README.md, issue 11).
 */
import { compression, metricsExporters, otelBool, protocol, temporality, timeout, tracesExporters, type Compression, type OtelSettings, type OtlpProtocol } from "./otel.ts";
import { NOTIFY_SETTINGS, type NotifySettings } from "./notify-settings.ts";
import { bool, hostList, int, keyValues, listen, matching, oneOf, text, url, type Check, type ListenAddress } from "./values.ts";

export type { ListenAddress } from "./values.ts";

export interface SettingMeta {
  flag: string;
  env: string;
  arg?: string;
  description: string;
  /** Shown where the default is computed at start-up rather than fixed. */
  defaultText?: string;
  /** A credential (token, webhook URL): never echoed back in an error message. */
  secret?: boolean;
}

/** The settings after parsing: a value for every setting with a default (the OTLP ones in OtelSettings). */
export interface Settings extends OtelSettings, NotifySettings {
  configFile?: string | undefined;
  logsDir: string;
  stateDir?: string | undefined;
  fromBeginning: boolean;
  listen: ListenAddress | null;
  allowedHosts: string[];
  pollIntervalMs: number;
  checkpointIntervalMs: number;
  seriesCap: number;
  hostName?: string | undefined;
  profile?: string | undefined;
  logLevel: "debug" | "info" | "warn" | "error";
  metricsTemporality?: "cumulative" | undefined;
  metricExportIntervalMs: number;
  serviceName: string;
  resourceAttributes: Record<string, string>;
}
export type Key = keyof Settings;

export interface Setting<T> extends SettingMeta {
  check: Check<NonNullable<T> | (null extends T ? null : never)>;
  /** Absent: the setting is optional (undefined when not given). */
  default?: T;
}

export const SETTINGS: { readonly [K in Key]-?: Setting<Settings[K]> } = {
  configFile: { check: text, flag: "--config", env: "OPENCLAW_OTEL_CONFIG", arg: "PATH", defaultText: "none",
    description: "JSON or YAML file holding any of these settings under their config keys; environment and flags override it." },
  logsDir: { check: text, default: "/tmp/openclaw", flag: "--logs", env: "OPENCLAW_OTEL_LOGS", arg: "DIR",
    description: "Directory where OpenClaw writes openclaw-*.log and the companion plugin writes diagnostics-*.jsonl." },
  stateDir: { check: text, flag: "--state-dir", env: "OPENCLAW_OTEL_STATE_DIR", arg: "DIR",
    defaultText: "$XDG_STATE_HOME/openclaw-otel-sidecar, else ~/.local/state/openclaw-otel-sidecar",
    description: "Where the sidecar keeps its checkpoint (read offsets and cumulative metric state)." },
  fromBeginning: { check: bool, default: false, flag: "--from-beginning", env: "OPENCLAW_OTEL_FROM_BEGINNING",
    description: "With no checkpoint, read existing files from their start instead of their end." },
  listen: { check: listen, default: { host: "127.0.0.1", port: 9464 }, flag: "--listen", env: "OPENCLAW_OTEL_LISTEN", arg: "HOST:PORT",
    defaultText: "127.0.0.1:9464", description: 'Address of /metrics, /healthz and the status page; "off" disables the HTTP server.' },
  allowedHosts: { check: hostList, default: [], flag: "--allowed-hosts", env: "OPENCLAW_OTEL_ALLOWED_HOSTS", arg: "NAMES", defaultText: "none",
    description: "Host names the HTTP server answers besides localhost, 127.0.0.1, [::1] and the --listen host (and any IP address "
      + 'when it listens on 0.0.0.0 or ::), e.g. the name Prometheus scrapes it by; other Host headers get 403 (DNS rebinding). "*" answers any.' },
  pollIntervalMs: { check: int(10, 60_000), default: 250, flag: "--poll-interval", env: "OPENCLAW_OTEL_POLL_INTERVAL", arg: "MS",
    description: "How often followed files are checked for new lines, rotation and truncation (milliseconds)." },
  checkpointIntervalMs: { check: int(100, 3_600_000), default: 1000, flag: "--checkpoint-interval", env: "OPENCLAW_OTEL_CHECKPOINT_INTERVAL", arg: "MS",
    description: "How often the checkpoint is written when something changed (milliseconds)." },
  seriesCap: { check: int(1, 1_000_000), default: 2000, flag: "--series-cap", env: "OPENCLAW_OTEL_SERIES_CAP", arg: "N",
    description: "Most attribute combinations (series) kept per metric; points beyond it go to one overflow series (otel.metric.overflow=true) and are counted." },
  hostName: { check: text, flag: "--host-name", env: "OPENCLAW_OTEL_HOST_NAME", arg: "NAME",
    defaultText: "host.name from OTEL_RESOURCE_ATTRIBUTES, else the OS host name", description: "Resource attribute host.name: tells gateways on different machines apart." },
  profile: { check: matching(/^[A-Za-z0-9_.:-]{1,120}$/, "expected 1-120 of A-Z a-z 0-9 _ . : -"), flag: "--profile", env: "OPENCLAW_OTEL_PROFILE", arg: "NAME",
    defaultText: "none (the default profile)", description: "Resource attribute openclaw.profile (label openclaw_profile): tells OpenClaw profiles on one host apart." },
  logLevel: { check: oneOf(["debug", "info", "warn", "error"]), default: "info", flag: "--log-level", env: "OPENCLAW_OTEL_LOG_LEVEL", arg: "LEVEL",
    description: "The sidecar's own log level on stderr (debug, info, warn, error)." },
  otlpEndpoint: { check: url, flag: "--otlp-endpoint", env: "OTEL_EXPORTER_OTLP_ENDPOINT", arg: "URL", defaultText: "none (export off)",
    description: "Base OTLP URL (e.g. http://collector:4318, or :4317 for grpc); OTLP/HTTP appends /v1/metrics and /v1/traces. OTLP export is on only when an endpoint is set." },
  otlpProtocol: { check: protocol, default: "http/protobuf", flag: "--otlp-protocol", env: "OTEL_EXPORTER_OTLP_PROTOCOL", arg: "PROTO",
    description: "OTLP transport: http/protobuf, http/json or grpc (the gRPC exporter is loaded only when chosen)." },
  otlpHeaders: { check: keyValues, flag: "--otlp-headers", env: "OTEL_EXPORTER_OTLP_HEADERS", arg: "K=V,...", defaultText: "none",
    description: "Headers sent with every export, e.g. Authorization=Bearer%20TOKEN." },
  otlpTimeoutMs: { check: timeout, default: 10_000, flag: "--otlp-timeout", env: "OTEL_EXPORTER_OTLP_TIMEOUT", arg: "MS",
    description: "Longest time one export (with its retries) may take before it counts as failed (milliseconds)." },
  otlpCompression: { check: compression, default: "none", flag: "--otlp-compression", env: "OTEL_EXPORTER_OTLP_COMPRESSION", arg: "gzip|none",
    description: "Compression of export requests." },
  otlpMetricsEndpoint: { check: url, flag: "--otlp-metrics-endpoint", env: "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", arg: "URL", defaultText: "base endpoint + /v1/metrics",
    description: "Full URL for metrics, used as-is; overrides the base endpoint." },
  otlpMetricsProtocol: { check: protocol, flag: "--otlp-metrics-protocol", env: "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", arg: "PROTO", defaultText: "the base protocol",
    description: "Transport for metrics only." },
  otlpMetricsHeaders: { check: keyValues, flag: "--otlp-metrics-headers", env: "OTEL_EXPORTER_OTLP_METRICS_HEADERS", arg: "K=V,...", defaultText: "none",
    description: "Extra headers for metrics only (merged over the base headers)." },
  otlpMetricsTimeoutMs: { check: timeout, flag: "--otlp-metrics-timeout", env: "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", arg: "MS", defaultText: "the base timeout",
    description: "Export timeout for metrics only (milliseconds)." },
  otlpMetricsCompression: { check: compression, flag: "--otlp-metrics-compression", env: "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", arg: "gzip|none", defaultText: "the base compression",
    description: "Compression for metrics only." },
  otlpTracesEndpoint: { check: url, flag: "--otlp-traces-endpoint", env: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", arg: "URL", defaultText: "base endpoint + /v1/traces",
    description: "Full URL for traces, used as-is; overrides the base endpoint." },
  otlpTracesProtocol: { check: protocol, flag: "--otlp-traces-protocol", env: "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", arg: "PROTO", defaultText: "the base protocol",
    description: "Transport for traces only." },
  otlpTracesHeaders: { check: keyValues, flag: "--otlp-traces-headers", env: "OTEL_EXPORTER_OTLP_TRACES_HEADERS", arg: "K=V,...", defaultText: "none",
    description: "Extra headers for traces only (merged over the base headers)." },
  otlpTracesTimeoutMs: { check: timeout, flag: "--otlp-traces-timeout", env: "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", arg: "MS", defaultText: "the base timeout",
    description: "Export timeout for traces only (milliseconds)." },
  otlpTracesCompression: { check: compression, flag: "--otlp-traces-compression", env: "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", arg: "gzip|none", defaultText: "the base compression",
    description: "Compression for traces only." },
  metricsExporter: { check: metricsExporters, default: ["otlp"], flag: "--metrics-exporter", env: "OTEL_METRICS_EXPORTER", arg: "LIST", defaultText: "otlp",
    description: "Where metrics are pushed: otlp (when an endpoint is set), console (stdout), none; prometheus is accepted and means /metrics only, which is always served unless --listen off." },
  tracesExporter: { check: tracesExporters, default: ["otlp"], flag: "--traces-exporter", env: "OTEL_TRACES_EXPORTER", arg: "LIST", defaultText: "otlp",
    description: "Where spans go: otlp (when an endpoint is set), console (stdout), none." },
  metricsTemporality: { check: temporality, flag: "--otlp-metrics-temporality", env: "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", arg: "T", defaultText: "cumulative",
    description: "Only cumulative is supported: counters survive restarts through the checkpoint; delta and lowmemory stop start-up with an explanation." },
  metricExportIntervalMs: { check: int(1000, 86_400_000), default: 60_000, flag: "--metric-export-interval", env: "OTEL_METRIC_EXPORT_INTERVAL", arg: "MS",
    description: "Time between OTLP metric exports (milliseconds)." },
  serviceName: { check: text, default: "openclaw", flag: "--service-name", env: "OTEL_SERVICE_NAME", arg: "NAME",
    description: "Resource attribute service.name (the same default as OpenClaw's diagnostics-otel)." },
  resourceAttributes: { check: keyValues, default: {}, flag: "--resource-attributes", env: "OTEL_RESOURCE_ATTRIBUTES", arg: "K=V,...", defaultText: "none",
    description: "Extra resource attributes, e.g. deployment.environment=prod." },
  sdkDisabled: { check: otelBool, default: false, flag: "--sdk-disabled", env: "OTEL_SDK_DISABLED",
    description: "Turn OTLP export off even when an endpoint is set (/metrics keeps working)." },
  ...NOTIFY_SETTINGS,
};

export const KEYS = Object.keys(SETTINGS) as Key[];
export const metaOf = (key: Key): SettingMeta => SETTINGS[key];
