/**
 * sidecar_degraded: the log pipeline loses data. The log has torn and non-JSON lines (a crash
 * mid-write, a wrapper script printing plain text) and OpenClaw's marker for records its
 * file-log queue dropped under load; the OTLP collector the sidecar pushes to is down (a
 * closed port on 127.0.0.1); its state directory disappears after start (checkpoints fail);
 * a local Ollama user's model list outgrows a small --series-cap. Covers the Sidecar health
 * dashboard's failure panels, OpenClawSidecarRejectingLines and OpenClawGatewayLogRecordsLost.
 */
import { gatewayLog, type Scenario } from "./lines.ts";

const MODELS = ["qwen3:32b", "llama3.3:70b", "gemma3:27b", "mistral-small3.2", "deepseek-r1:14b", "phi4"];
const SERIES_CAP = 4;

export const sidecarDegraded: Scenario = {
  host: "sidecar-degraded",
  fires: [
    { alertname: "OpenClawSidecarRejectingLines", labels: { openclaw_source: "log" } },
    { alertname: "OpenClawGatewayLogRecordsLost", labels: { openclaw_kind: "queue_overflow" } },
  ],
  sidecar: {
    // Directly scraped, nothing it pushes arrives. Through the Collector its metrics must
    // arrive (or the path would show nothing of it), so only its spans go nowhere.
    args: (closedPort, collector) => [
      "--series-cap", String(SERIES_CAP), "--metric-export-interval", "1000",
      // Its notifications go nowhere either: failed deliveries for the Sidecar dashboard.
      "--notify-webhook-url", `http://127.0.0.1:${closedPort}/notify`, "--notify-group-wait", "0", "--notify-min-severity", "info",
      ...(collector === undefined
        ? ["--otlp-endpoint", `http://127.0.0.1:${closedPort}`]
        : ["--otlp-endpoint", collector, "--otlp-traces-endpoint", `http://127.0.0.1:${closedPort}/v1/traces`]),
    ],
    loseStateDir: true,
  },
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    log.chatter(4);
    for (const model of MODELS) {
      log.a("provider-transport-fetch", "DEBUG", `[model-fetch] response provider=ollama api=ollama model=${model} status=200 elapsedMs=${900 + 40 * i} dispatcher=reused contentType=text/event-stream`);
    }
    if (i % 2 === 1) log.overflowMarker(200 + 53 * i);
    // A processed message makes a span, whose export to the closed port fails: spans dropped.
    log.echo(`message processed: channel=telegram chatId=77 messageId=${300 + i} sessionId=s-deg sessionKey=agent:main:telegram:direct:77 outcome=completed duration=${800 + i}ms`);
    const whole = log.done();
    // A record cut off mid-write and a wrapper's plain-text output: rejected as invalid_json.
    return { log: [...whole, (whole[whole.length - 1] ?? "").slice(0, 120), `[openclaw-wrapper] restart ${i}: gateway pid changed`] };
  },
};
