/**
 * The settings (settings.ts) as a zod schema, for a config file only: its values may be
 * numbers, lists or mappings, which zod's coercion and unions check. Loaded by config.ts when a
 * config file is given, never on a plain `run` (zod: ~18 MB, bench/README.md, issue 11).
 */
import { z } from "zod";
import { bool, compression, hostList, int, keyValues, listen, metricsExporters, otelBool, protocol, temporality, timeout, tracesExporters, url } from "./schema-values.ts";
import { BUDGET_STEPS_MESSAGE, BUDGET_STEPS_RE, MONEY_MESSAGE, MONEY_RE, QUIET_HOURS_MESSAGE, QUIET_HOURS_RE } from "./notify-settings.ts";
import { SETTINGS, type Key, type SettingMeta } from "./settings.ts";

/** The table's default (zod returns a shallow copy, as config.ts does) or optional, and its meta. */
function field(key: Key, type: z.ZodType) {
  const { check: _check, default: def, ...meta } = SETTINGS[key] as SettingMeta & { check: unknown; default?: unknown };
  return (def === undefined ? type.optional() : type.default(def as never)).meta(meta satisfies SettingMeta);
}

export const settingsSchema = z.object({
  configFile: field("configFile", z.string().min(1)),
  logsDir: field("logsDir", z.string().min(1)),
  stateDir: field("stateDir", z.string().min(1)),
  openclawState: field("openclawState", z.string().min(1)),
  fromBeginning: field("fromBeginning", bool),
  listen: field("listen", listen),
  allowedHosts: field("allowedHosts", hostList),
  webConfigFile: field("webConfigFile", z.string().min(1)),
  insecureListen: field("insecureListen", bool),
  pollIntervalMs: field("pollIntervalMs", int(10, 60_000)),
  checkpointIntervalMs: field("checkpointIntervalMs", int(100, 3_600_000)),
  seriesCap: field("seriesCap", int(1, 1_000_000)),
  hostName: field("hostName", z.string().min(1)),
  profile: field("profile", z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/, "expected 1-120 of A-Z a-z 0-9 _ . : -")),
  logLevel: field("logLevel", z.enum(["debug", "info", "warn", "error"])),
  otlpEndpoint: field("otlpEndpoint", url),
  otlpProtocol: field("otlpProtocol", protocol),
  otlpHeaders: field("otlpHeaders", keyValues),
  otlpTimeoutMs: field("otlpTimeoutMs", timeout),
  otlpCompression: field("otlpCompression", compression),
  otlpMetricsEndpoint: field("otlpMetricsEndpoint", url),
  otlpMetricsProtocol: field("otlpMetricsProtocol", protocol),
  otlpMetricsHeaders: field("otlpMetricsHeaders", keyValues),
  otlpMetricsTimeoutMs: field("otlpMetricsTimeoutMs", timeout),
  otlpMetricsCompression: field("otlpMetricsCompression", compression),
  otlpTracesEndpoint: field("otlpTracesEndpoint", url),
  otlpTracesProtocol: field("otlpTracesProtocol", protocol),
  otlpTracesHeaders: field("otlpTracesHeaders", keyValues),
  otlpTracesTimeoutMs: field("otlpTracesTimeoutMs", timeout),
  otlpTracesCompression: field("otlpTracesCompression", compression),
  metricsExporter: field("metricsExporter", metricsExporters),
  tracesExporter: field("tracesExporter", tracesExporters),
  metricsTemporality: field("metricsTemporality", temporality),
  metricExportIntervalMs: field("metricExportIntervalMs", int(1000, 86_400_000)),
  serviceName: field("serviceName", z.string().min(1)),
  resourceAttributes: field("resourceAttributes", keyValues),
  sdkDisabled: field("sdkDisabled", otelBool),
  notifyMinSeverity: field("notifyMinSeverity", z.enum(["critical", "warning", "info"], { error: "expected critical, warning or info" })),
  notifyGroupWaitMs: field("notifyGroupWaitMs", int(0, 600_000)),
  notifyRepeatIntervalMs: field("notifyRepeatIntervalMs", int(60_000, 86_400_000)),
  notifyPageUrl: field("notifyPageUrl", url),
  notifyQuietHours: field("notifyQuietHours", z.string().regex(QUIET_HOURS_RE, QUIET_HOURS_MESSAGE)),
  notifyBudgetTokens: field("notifyBudgetTokens", int(1, 1e12)),
  notifyBudgetUsd: field("notifyBudgetUsd", z.coerce.string().trim().regex(MONEY_RE, MONEY_MESSAGE).transform(Number).refine((n) => n > 0, MONEY_MESSAGE)),
  notifyBudgetSteps: field("notifyBudgetSteps", z.coerce.string().regex(BUDGET_STEPS_RE, BUDGET_STEPS_MESSAGE)),
  notifyDigestHour: field("notifyDigestHour", int(0, 23)),
  notifyWebhookUrl: field("notifyWebhookUrl", url),
  notifyWebhookUrlFile: field("notifyWebhookUrlFile", z.string().min(1)),
  telegramApiUrl: field("telegramApiUrl", url),
  telegramBotToken: field("telegramBotToken", z.string().min(1)),
  telegramBotTokenFile: field("telegramBotTokenFile", z.string().min(1)),
  telegramChatId: field("telegramChatId", z.coerce.string().min(1)),
  discordWebhookUrl: field("discordWebhookUrl", url),
  discordWebhookUrlFile: field("discordWebhookUrlFile", z.string().min(1)),
  slackWebhookUrl: field("slackWebhookUrl", url),
  slackWebhookUrlFile: field("slackWebhookUrlFile", z.string().min(1)),
  ntfyUrl: field("ntfyUrl", url),
  ntfyUrlFile: field("ntfyUrlFile", z.string().min(1)),
});
