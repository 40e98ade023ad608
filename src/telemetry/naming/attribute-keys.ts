/**
 * The attribute keys the catalogue, the recorders and the label hygiene share, in one place:
 * a typo here is a typo everywhere (and the store's strict-key check catches it in tests),
 * instead of four spellings that can drift apart.
 */
export const CH = "openclaw.channel";
export const PROV = "openclaw.provider";
export const MODEL = "openclaw.model";
export const LANE = "openclaw.lane";
export const OUTCOME = "openclaw.outcome";
export const REASON = "openclaw.reason";
export const SRC = "openclaw.source";
/**
 * The OpenClaw profile an event's file names (openclaw-<profile>-*.log, 2026.8.2+). Reserved:
 * any metric may carry it, recorders never set it themselves (recording/metric-sink.ts adds it),
 * and export turns it into the `openclaw_profile` identity label or one OTLP resource per
 * profile. It is the gateway's name, never an auth profile id.
 */
export const PROFILE = "openclaw.profile";
