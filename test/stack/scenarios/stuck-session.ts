/**
 * stuck_session: a 2026.9.6 gateway at the default info level (only the WARN/ERROR echoes of
 * diagnostic events reach the log). One Telegram session sits in `processing` with a model
 * call that never returns: OpenClaw repeats its stuck-session warning with a growing age,
 * classifies it as stalled, the main lane queues up behind it (lane wait exceeded), the agent
 * loops on a tool until loop detection blocks it, and the event loop and memory suffer.
 */
import { gatewayLog, type Scenario } from "./lines.ts";

const SESSION = "sessionId=s-stuck-1 sessionKey=agent:main:telegram:direct:4242";

export const stuckSession: Scenario = {
  host: "stuck-session",
  fires: [
    { alertname: "OpenClawSessionStuck" },
    { alertname: "OpenClawLaneWaitHigh", labels: { openclaw_lane: "main" } },
    { alertname: "OpenClawToolLoopCritical", labels: { openclaw_toolName: "exec" } },
    // The session store behind the stuck session is slow too (2026.9.x SQLite warnings).
    { alertname: "OpenClawStorageSlow", labels: { openclaw_kind: "session_write" } },
  ],
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    log.chatter(2);
    const age = 130 + 40 * i;
    log.echo(`stuck session: ${SESSION} state=processing age=${age}s queueDepth=${2 + i} reason=stale_session_state classification=stale_session_state recovery=checking`, "WARN");
    log.echo(`long-running session: ${SESSION} state=processing age=${age}s queueDepth=${2 + i} reason=active_model_call_without_progress classification=long_running activeWorkKind=model_call recovery=none`, "WARN");
    if (i >= 1) log.echo(`stalled session: ${SESSION} state=processing age=${age + 5}s queueDepth=${2 + i} reason=active_model_call_without_progress classification=stalled_agent_run activeWorkKind=model_call recovery=none`, "WARN");
    log.b("session-sqlite", "WARN", { agentId: "main", operation: "session.entry-replacements", elapsedMs: 11658 + 100 * i, queueWaitMs: 11649, writerExecutionMs: 9 }, "slow SQLite session write");
    log.b("session-sqlite", "WARN", { agentId: "main", operation: "session.entry-replacements", elapsedMs: 4100 + 100 * i, queueWaitMs: 3900, writerExecutionMs: 200 }, "slow SQLite session write");
    log.echo(`lane wait exceeded: lane=main waitedMs=${42000 + 6000 * i} queueAhead=${2 + i}`, "WARN");
    log.echo(`tool loop: ${SESSION} tool=exec level=critical action=block detector=generic_repeat count=20 message="exec blocked after 20 identical calls"`, "ERROR");
    log.echo(`liveness warning: reasons=event_loop_delay interval=30s degradedFor=${30 * (i + 1)}s eventLoopDelayP99Ms=${800 + 50 * i} eventLoopDelayMaxMs=2210 eventLoopUtilization=0.97 cpuCoreRatio=1.02 active=1 waiting=${2 + i} queued=${2 + i} phase=model_call work=[session:agent:main:main model_call]`, "WARN");
    if (i % 2 === 0) log.a("gateway/diagnostics/memory", "WARN", `memory pressure: level=warning reason=rss_threshold rss=1.6GiB heap=812MiB threshold=1.5GiB thresholdRatio=107% rssBytes=${1717986918 + i * 1048576} heapUsedBytes=851443712 externalBytes=10485760 arrayBuffersBytes=524288 nextStep=restart the gateway`);
    return { log: log.done() };
  },
};
