/**
 * Every instrument the sidecar exports, as data: the single source of metric names.
 * Telemetry code, the README tables, test/golden/prometheus-names.txt, the dashboards and
 * the alert rules are all checked against this list by tests.
 *
 * The first 18 entries keep upstream diagnostics-otel's exact name, kind, unit and attribute
 * keys (docs/openclaw-formats.md §4.2) so a user of the in-process plugin gets the same series.
 * New metrics name the thing and let the unit carry the unit (`openclaw.auth.cooldown.length`
 * in `ms`), as OpenTelemetry's conventions ask.
 */
import { CH, LANE, MODEL, OUTCOME, PROV, REASON } from "./attribute-keys.ts";

export type InstrumentKind = "counter" | "histogram" | "gauge";

export interface MetricDef {
  readonly name: string;
  readonly kind: InstrumentKind;
  /** UCUM unit as OTel carries it: "1", "ms", "s", "By", or an annotation like "{profile}". */
  readonly unit: string;
  readonly description: string;
  /** Attribute keys this instrument may carry; values are bounded (see attributes.ts). */
  readonly attributes: readonly string[];
  /** Explicit histogram bucket boundaries; omitted means the SDK default. */
  readonly buckets?: readonly number[];
  /** What feeds it, for the README table. */
  readonly source: string;
  /** True for the 18 instruments whose shape upstream diagnostics-otel fixes. */
  readonly upstream?: boolean;
}

/** The SDK's default boundaries (what upstream uses for its ms histograms). */
const SDK_DEFAULT_MS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
/** Upstream's run-duration boundaries: the defaults extended with 15 s … 1 h. */
const LONG_MS = [...SDK_DEFAULT_MS, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];
/** Cooldown ladders: 30 s→1 m→5 m (≥2026.3.28), 1 m→5 m→25 m→1 h (before), disabled up to 24 h. */
const COOLDOWN_MS = [30000, 60000, 300000, 600000, 1500000, 3600000, 18000000, 43200000, 86400000];
const CONTEXT_TOKENS = [...SDK_DEFAULT_MS, 16000, 32000, 64000, 128000, 200000, 256000, 512000, 1000000, 2000000];


export const METRICS = [
  // ---- upstream diagnostics-otel, exact shapes ----
  { upstream: true, name: "openclaw.tokens", kind: "counter", unit: "1", attributes: ["openclaw.token", CH, PROV, MODEL],
    description: "Tokens by type (input, output, cache_read, cache_write, prompt, total); do not sum across openclaw.token.", source: "model.usage" },
  { upstream: true, name: "openclaw.cost.usd", kind: "counter", unit: "1", attributes: [CH, PROV, MODEL],
    description: "Estimated model cost in USD.", source: "model.usage costUsd" },
  { upstream: true, name: "openclaw.run.duration_ms", kind: "histogram", unit: "ms", attributes: [CH, PROV, MODEL], buckets: LONG_MS,
    description: "Agent run duration.", source: "model.usage durationMs" },
  { upstream: true, name: "openclaw.context.tokens", kind: "histogram", unit: "1", attributes: ["openclaw.context", CH, PROV, MODEL], buckets: CONTEXT_TOKENS,
    description: "Context window limit and use per run.", source: "model.usage context" },
  { upstream: true, name: "openclaw.webhook.received", kind: "counter", unit: "1", attributes: [CH, "openclaw.webhook"],
    description: "Webhook requests received.", source: "webhook.received" },
  { upstream: true, name: "openclaw.webhook.error", kind: "counter", unit: "1", attributes: [CH, "openclaw.webhook"],
    description: "Webhook processing errors.", source: "webhook.error" },
  { upstream: true, name: "openclaw.webhook.duration_ms", kind: "histogram", unit: "ms", attributes: [CH, "openclaw.webhook"],
    description: "Webhook processing duration.", source: "webhook.processed" },
  { upstream: true, name: "openclaw.message.queued", kind: "counter", unit: "1", attributes: [CH, "openclaw.source"],
    description: "Messages queued for processing.", source: "message.queued" },
  { upstream: true, name: "openclaw.message.processed", kind: "counter", unit: "1", attributes: [CH, OUTCOME],
    description: "Messages processed by outcome.", source: "message.processed" },
  { upstream: true, name: "openclaw.message.duration_ms", kind: "histogram", unit: "ms", attributes: [CH, OUTCOME], buckets: LONG_MS,
    description: "Message processing duration.", source: "message.processed" },
  { upstream: true, name: "openclaw.queue.depth", kind: "histogram", unit: "1", attributes: [LANE, CH, "openclaw.source"],
    description: "Queue depth samples: per lane on enqueue/dequeue, per channel on message.queued, channel=heartbeat from heartbeats.",
    source: "queue.lane.enqueue/dequeue, message.queued, diagnostic.heartbeat" },
  { upstream: true, name: "openclaw.queue.wait_ms", kind: "histogram", unit: "ms", attributes: [LANE], buckets: LONG_MS,
    description: "Time a task waited in its lane.", source: "queue.lane.dequeue" },
  { upstream: true, name: "openclaw.queue.lane.enqueue", kind: "counter", unit: "1", attributes: [LANE],
    description: "Lane enqueue events.", source: "queue.lane.enqueue" },
  { upstream: true, name: "openclaw.queue.lane.dequeue", kind: "counter", unit: "1", attributes: [LANE],
    description: "Lane dequeue events.", source: "queue.lane.dequeue" },
  { upstream: true, name: "openclaw.session.state", kind: "counter", unit: "1", attributes: ["openclaw.state", REASON],
    description: "Session state transitions.", source: "session.state" },
  { upstream: true, name: "openclaw.session.stuck", kind: "counter", unit: "1", attributes: ["openclaw.state"],
    description: "Sessions detected as stuck.", source: "session.stuck" },
  { upstream: true, name: "openclaw.session.stuck_age_ms", kind: "histogram", unit: "ms", attributes: ["openclaw.state"], buckets: LONG_MS,
    description: "Age of stuck sessions when detected.", source: "session.stuck ageMs" },
  { upstream: true, name: "openclaw.run.attempt", kind: "counter", unit: "1", attributes: ["openclaw.attempt"],
    description: "Run attempts.", source: "run.attempt" },

  // ---- names upstream added later for the same things ----
  { name: "openclaw.model.failover", kind: "counter", unit: "1",
    attributes: [PROV, MODEL, "openclaw.failover.to_provider", "openclaw.failover.to_model", "openclaw.failover.reason", "openclaw.failover.suspended", LANE],
    description: "Model failovers: a candidate failed and the next one was tried.", source: "model.failover (JSONL) or model fallback decision candidate_failed" },
  // Upstream's name and attributes less `openclaw.loop.count`, dropped on purpose: the count
  // of repeats is a number without bound (20, 21, ...), so as a label every detection made a
  // new series and the critical-loop alert almost never saw one grow.
  { name: "openclaw.tool.loop", kind: "counter", unit: "1",
    attributes: ["openclaw.toolName", "openclaw.loop.level", "openclaw.loop.action", "openclaw.loop.detector", "openclaw.loop.paired_tool"],
    description: "Tool-loop detections (upstream's shape without the unbounded openclaw.loop.count).", source: "tool.loop" },
  { name: "openclaw.liveness.warning", kind: "counter", unit: "1", attributes: ["openclaw.liveness.reason"],
    description: "Gateway liveness warnings (event loop delay, utilisation, CPU).", source: "diagnostic.liveness.warning" },
  { name: "openclaw.memory.pressure", kind: "counter", unit: "1", attributes: ["openclaw.memory.level", "openclaw.memory.reason"],
    description: "Gateway memory-pressure warnings.", source: "diagnostic.memory.pressure" },

  // ---- new: models, failover and auth profiles ----
  { name: "openclaw.model.all_failed", kind: "counter", unit: "{run}", attributes: [REASON],
    description: "Runs where every model candidate failed (reason of the last failure).", source: "All models failed summary, or end of the fallback chain" },
  { name: "openclaw.model.failover.surfaced", kind: "counter", unit: "{run}", attributes: [PROV, MODEL, REASON],
    description: "Runs that gave up and surfaced the provider error to the user.", source: "embedded run failover decision surface_error" },
  { name: "openclaw.auth.profile.rotation", kind: "counter", unit: "1", attributes: [PROV, MODEL, REASON],
    description: "Switches to the next auth profile (API key) of the same provider.", source: "embedded run failover decision rotate_profile" },
  { name: "openclaw.auth.window.opened", kind: "counter", unit: "{window}", attributes: [PROV, REASON, "openclaw.window"],
    description: "Auth-profile cooldown or disabled windows opened (not counting reused windows).", source: "auth profile failure state updated" },
  { name: "openclaw.auth.cooldown.active", kind: "gauge", unit: "{profile}", attributes: [PROV, "openclaw.window"],
    description: "Auth profiles currently in a cooldown or disabled window; each expires at its cooldownUntil/disabledUntil.", source: "auth profile failure state updated" },
  { name: "openclaw.auth.profiles.known", kind: "gauge", unit: "{profile}", attributes: [PROV],
    description: "Auth profiles (API keys) the log proves a provider has: distinct keys seen failing, or one more than those when OpenClaw rotated to another key.",
    source: "auth profile failure state updated, embedded run failover decision rotate_profile" },
  { name: "openclaw.auth.cooldown.until", kind: "gauge", unit: "s", attributes: [PROV, "openclaw.window"],
    description: "When the last open cooldown or disabled window of a provider ends (Unix seconds); absent when none is open. "
      + "Remaining time: this minus time().", source: "auth profile failure state updated" },
  { name: "openclaw.auth.cooldown.length", kind: "histogram", unit: "ms", attributes: [PROV, REASON, "openclaw.window"], buckets: COOLDOWN_MS,
    description: "Length of each cooldown or disabled window opened.", source: "auth profile failure state updated" },
  { name: "openclaw.auth.provider.unavailable", kind: "counter", unit: "1", attributes: [PROV, REASON],
    description: "A fallback candidate was skipped because every auth profile of its provider was unavailable.", source: "model fallback decision skip_candidate" },
  { name: "openclaw.model.request", kind: "counter", unit: "{request}", attributes: [PROV, MODEL, OUTCOME, "openclaw.http.status"],
    description: "HTTP requests to model providers by outcome (success, http_error, network_error, timeout) and status.", source: "[model-fetch] response/error lines" },
  { name: "openclaw.model.last_success", kind: "gauge", unit: "s", attributes: [PROV, MODEL],
    description: "When a request to the model last succeeded (Unix seconds); absent (unknown) until the input shows a success: "
      + "9.6 at the default level logs only failed requests, the plugin's model.usage brings successes.",
    source: "[model-fetch] response 2xx, model.usage" },
  { name: "openclaw.model.last_failure", kind: "gauge", unit: "s", attributes: [PROV, MODEL],
    description: "When a request to the model last failed (Unix seconds).", source: "[model-fetch] non-2xx response or error" },
  { name: "openclaw.model.consecutive_failures", kind: "gauge", unit: "{request}", attributes: [PROV, MODEL],
    description: "Failed requests to the model since its last success (or since the sidecar first saw it).", source: "[model-fetch] lines, model.usage" },
  { name: "openclaw.model.request.duration", kind: "histogram", unit: "ms", attributes: [PROV, MODEL, OUTCOME], buckets: LONG_MS,
    description: "Latency of HTTP requests to model providers.", source: "[model-fetch] response/error lines" },
  { name: "openclaw.context.utilization", kind: "histogram", unit: "1", attributes: [PROV, MODEL], buckets: [0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1],
    description: "Share of the context window used by a run (context.used / context.limit).", source: "model.usage context" },

  // ---- new: attempts, retries and failed turns a default-level log shows (issue 8) ----
  { name: "openclaw.model.call.error", kind: "counter", unit: "{attempt}", attributes: [PROV, MODEL, REASON, "openclaw.http.status"],
    description: "Failed model attempts, not HTTP requests (on 4.24 and 7.35 one attempt may hide up to three requests the provider SDK retried inside it): "
      + "OpenClaw's failover reason beside the HTTP status the provider answered (a 402 OpenClaw calls rate_limit shows as reason rate_limit, status 402).",
    source: "embedded run agent end (isError)" },
  { name: "openclaw.model.retry", kind: "counter", unit: "{retry}", attributes: [PROV, MODEL, REASON],
    description: "Same-model retries (the retry budget burning before a failover).", source: "rate-limit / transient same-model retry" },
  { name: "openclaw.model.retry.delay", kind: "histogram", unit: "ms", attributes: [PROV, REASON], buckets: LONG_MS,
    description: "Delay before each same-model retry.", source: "same-model retry delayMs" },
  { name: "openclaw.auth.profile.rotation_cap", kind: "counter", unit: "1", attributes: [PROV, MODEL],
    description: "Rate-limit profile rotation cap reached: OpenClaw stopped rotating keys and escalated to model fallback.", source: "rate-limit profile rotation cap reached" },
  { name: "openclaw.agent.turn.failed", kind: "counter", unit: "{turn}", attributes: ["openclaw.error_code", REASON],
    description: "User turns that ended without a reply (reason all_models_failed, timeout, other): the gateway's error answer, "
      + "or the reply runner's failed-before-reply line (error_code none); the CLI's own error lines about the same turn are not counted.",
    source: "gateway/ws res ✗ agent errorCode= / root … agent failed before reply:" },
  { name: "openclaw.agent.turn.completed", kind: "counter", unit: "{turn}", attributes: [REASON],
    description: "User turns that got their answer, by stop reason (stop, length, toolUse): the success a default-level log shows "
      + "where it logs no 2xx; a run written by both gateway and CLI counts once.",
    source: "agents/agent-command [agent] run … ended with stopReason=" },
  { name: "openclaw.storage.slow", kind: "counter", unit: "1", attributes: ["openclaw.kind"],
    description: "Slow SQLite session-store operations (session_write, transaction_hold, reclamation).", source: "slow SQLite … warnings (2026.9.x)" },
  { name: "openclaw.storage.slow.duration", kind: "histogram", unit: "ms", attributes: ["openclaw.kind"], buckets: LONG_MS,
    description: "How long each slow SQLite operation took (elapsedMs).", source: "slow SQLite … elapsedMs" },
  { name: "openclaw.storage.lock_wait", kind: "histogram", unit: "ms", attributes: ["openclaw.kind"], buckets: LONG_MS,
    description: "How long a slow session write waited for the writer (queueWaitMs).", source: "slow SQLite session write queueWaitMs" },
  { name: "openclaw.auth.rewarm", kind: "counter", unit: "1", attributes: [REASON],
    description: "Provider auth state re-warms (2026.7.x), by trigger.", source: "provider auth state re-warmed (<reason>)" },
  { name: "openclaw.auth.rewarm.duration", kind: "histogram", unit: "ms", attributes: [REASON],
    description: "How long each provider auth re-warm took.", source: "provider auth state re-warmed … in <n>ms" },
  { name: "openclaw.pricing.fetch.failure", kind: "counter", unit: "1", attributes: ["openclaw.kind"],
    description: "Model pricing catalogue fetches that failed (openrouter, litellm; 2026.4.x): costs may be missing.", source: "gateway/model-pricing … pricing fetch failed" },

  // ---- new: sessions and queues ----
  { name: "openclaw.session.attention", kind: "counter", unit: "1", attributes: ["openclaw.kind", "openclaw.classification"],
    description: "Stuck, stalled and long-running session warnings.", source: "session.stuck, session.stalled, session.long_running" },
  { name: "openclaw.session.stuck.active", kind: "gauge", unit: "{session}", attributes: ["openclaw.kind"],
    description: "Sessions currently stuck or stalled (cleared by a state change or after 30 min without a new warning).", source: "session.stuck, session.stalled, session.state" },
  { name: "openclaw.queue.lane.wait_exceeded", kind: "counter", unit: "1", attributes: [LANE],
    description: "Tasks that waited longer than the lane's warning threshold.", source: "lane wait exceeded" },
  { name: "openclaw.queue.lane.exceeded_wait", kind: "histogram", unit: "ms", attributes: [LANE], buckets: LONG_MS,
    description: "How long tasks waited when they exceeded the lane threshold.", source: "lane wait exceeded" },
  { name: "openclaw.queue.lane.task_error", kind: "counter", unit: "1", attributes: [LANE],
    description: "Lane tasks that failed.", source: "lane task error" },

  // ---- new: channels ----
  { name: "openclaw.channel.network_error", kind: "counter", unit: "1", attributes: [CH, "openclaw.method", "openclaw.phase"],
    description: "Channel network errors (Telegram polling, setup, send).", source: "Telegram network error lines" },
  { name: "openclaw.channel.reconnect", kind: "counter", unit: "1", attributes: [CH, REASON],
    description: "Channel gateway reconnects by reason (Discord: close, zombie, invalid-session, reconnect-opcode).", source: "discord gateway: Gateway reconnect scheduled" },
  { name: "openclaw.channel.websocket.close", kind: "counter", unit: "1", attributes: [CH, "openclaw.close_code"],
    description: "Channel websocket closes by close code.", source: "discord gateway: Gateway websocket closed" },
  { name: "openclaw.channel.health_restart", kind: "counter", unit: "1", attributes: [CH, REASON],
    description: "Channel restarts by the health monitor, by reason.", source: "health-monitor: restarting" },
  { name: "openclaw.channel.exit", kind: "counter", unit: "1", attributes: [CH, "openclaw.kind"],
    description: "Channel exits, restart attempts, give-ups and failed starts.", source: "channel exited / auto-restart attempt / giving up / startup failed" },

  // ---- the gateway's verdict, as the status page shows it (issue 25: one fleet table) ----
  { name: "openclaw.gateway.verdict", kind: "gauge", unit: "{verdict}", attributes: ["openclaw.state", REASON],
    description: "The status page's verdict: one series per state (healthy, degraded, down, unknown) and reason kind (an incident kind, gap, none, "
      + "no_events or blind) this sidecar has shown, 1 for the current one, 0 for the others (never removed: == 1 is the state wherever it is pushed).",
    source: "status page verdict, once per poll" },
  { name: "openclaw.gateway.verdict.since", kind: "gauge", unit: "s", attributes: [],
    description: "Since when the verdict's state holds (Unix seconds, the page's event clock); 0 while unknown.", source: "status page verdict, once per poll" },

  // ---- lost log records ----
  { name: "openclaw.log.loss", kind: "counter", unit: "1", attributes: ["openclaw.kind"],
    description: "Notices that OpenClaw or the companion plugin dropped log records (size_cap: every later line suppressed until restart; queue_overflow; plugin_queue_overflow).",
    source: "size-cap record, file log queue overflow marker, plugin sidecar.dropped" },
  { name: "openclaw.log.dropped", kind: "counter", unit: "{record}", attributes: ["openclaw.kind"],
    description: "Log records known to be dropped (where the notice gives a number).", source: "file log queue overflow marker, plugin sidecar.dropped" },

  // ---- the sidecar itself ----
  { name: "openclaw.sidecar.lines.read", kind: "counter", unit: "{line}", attributes: ["openclaw.source"],
    description: "Complete lines read.", source: "tailer" },
  { name: "openclaw.sidecar.lines.ignored", kind: "counter", unit: "{line}", attributes: ["openclaw.source"],
    description: "Lines that are not events.", source: "parser" },
  { name: "openclaw.sidecar.lines.rejected", kind: "counter", unit: "{line}", attributes: ["openclaw.source", REASON],
    description: "Lines that claimed to be events but failed, by bounded reason.", source: "parser, tailer" },
  { name: "openclaw.sidecar.events", kind: "counter", unit: "{event}", attributes: ["openclaw.event.type", "openclaw.origin"],
    description: "Events parsed, by type and origin (jsonl, echo, log).", source: "parser" },
  { name: "openclaw.sidecar.events.duplicate", kind: "counter", unit: "{event}", attributes: ["openclaw.event.type"],
    description: "Events dropped because the other source already carried them.", source: "dedupe" },
  { name: "openclaw.sidecar.event.last_seen", kind: "gauge", unit: "s", attributes: ["openclaw.event.type"],
    description: "Timestamp (Unix seconds) of the newest event of each type.", source: "parser" },
  { name: "openclaw.sidecar.source.last_line", kind: "gauge", unit: "s", attributes: ["openclaw.source"],
    description: "Timestamp (Unix seconds) of the newest line read from each kind of source.", source: "tailer" },
  { name: "openclaw.sidecar.files.open", kind: "gauge", unit: "{file}", attributes: ["openclaw.source"],
    description: "Files being followed.", source: "tailer" },
  { name: "openclaw.sidecar.file.unread", kind: "gauge", unit: "By", attributes: ["openclaw.file"],
    description: "Bytes written to a followed file but not yet read.", source: "tailer" },
  { name: "openclaw.sidecar.event.lag", kind: "histogram", unit: "ms", attributes: ["openclaw.source"], buckets: [10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 60000],
    description: "Delay between an event's timestamp and the sidecar processing it.", source: "sidecar" },
  { name: "openclaw.sidecar.checkpoint.failure", kind: "counter", unit: "1", attributes: [],
    description: "Checkpoint writes that failed.", source: "checkpoint" },
  { name: "openclaw.sidecar.export.failure", kind: "counter", unit: "1", attributes: ["openclaw.signal", REASON],
    description: "OTLP exports that failed, by reason (http_401, grpc_16, timeout, refused, tls, network, other).", source: "exporter" },
  { name: "openclaw.sidecar.notify.sent", kind: "counter", unit: "{message}", attributes: ["openclaw.notify.target"],
    description: "Notifications a target accepted (telegram, discord, slack, ntfy, webhook).", source: "notifier" },
  { name: "openclaw.sidecar.notify.failure", kind: "counter", unit: "1", attributes: ["openclaw.notify.target", REASON],
    description: "Notification attempts that failed, by reason (http_401, http_429, timeout, network, ...); retried unless refused.", source: "notifier" },
  { name: "openclaw.sidecar.notify.dropped", kind: "counter", unit: "{message}", attributes: ["openclaw.notify.target", REASON],
    description: "Notifications given up: refused by the target (refused), out of retries (retries_exhausted) or pushed out of a full queue (queue_full).",
    source: "notifier" },
  { name: "openclaw.sidecar.spans.dropped", kind: "counter", unit: "{span}", attributes: [],
    description: "Spans that never reached the collector: their export failed, or a Retry-After held them past 5 s.", source: "exporter" },
  { name: "openclaw.sidecar.series.dropped", kind: "counter", unit: "1", attributes: ["openclaw.metric"],
    description: "Data points dropped because their metric reached the series cap.", source: "attribute guard" },
] as const satisfies readonly MetricDef[];

export type MetricName = (typeof METRICS)[number]["name"];

export const METRIC_BY_NAME: ReadonlyMap<string, MetricDef> = new Map(METRICS.map((m) => [m.name, m]));
