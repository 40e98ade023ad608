/**
 * The resource attributes that identify a sidecar's gateway: service.name, host.name and, for a
 * named OpenClaw profile, openclaw.profile, over OTEL_RESOURCE_ATTRIBUTES. /metrics renders them
 * as target_info; the OTLP exporter adds the SDK's own telemetry.sdk.* on top (otlp-export.ts).
 *
 * service.instance.id is left out on purpose: a random one per process would start a new series
 * at every restart, and host.name plus openclaw.profile already tell sidecars apart.
 * OTEL_RESOURCE_ATTRIBUTES comes first so the dedicated settings (OTEL_SERVICE_NAME,
 * --host-name, --profile) win, as the OTel spec orders them. The default OpenClaw profile is ""
 * and gets no openclaw.profile attribute, exactly as /metrics gives it no openclaw_profile label.
 * Kept apart from otlp-export.ts so a sidecar without export never loads the OTel SDK.
 */
import type { Config } from "../../config/config.ts";

export type ResourceSettings = Pick<Config, "serviceName" | "hostName" | "profile" | "resourceAttributes">;

export function resourceAttributes(cfg: ResourceSettings): Record<string, string> {
  const out: Record<string, string> = { ...cfg.resourceAttributes, "service.name": cfg.serviceName, "host.name": cfg.hostName };
  const profile = cfg.profile ?? cfg.resourceAttributes["openclaw.profile"] ?? "";
  if (profile === "") delete out["openclaw.profile"];
  else out["openclaw.profile"] = profile;
  return out;
}
