/**
 * The "Fleet" dashboard (issue 25): one row per gateway (host and profile), opening with who is
 * down now. State, reason and since are the gateway's own page verdict (openclaw.gateway.verdict,
 * set once per poll from the same function the page uses); "sidecar up" tells a gateway whose
 * sidecar went silent within the time range (0: no series now, OpenClawSidecarMissing fires)
 * from one that is reporting, whether it is scraped or pushes through a collector.
 */
import type { DashboardSpec } from "./lib.ts";
import { sel } from "./lib.ts";

/** A silent sidecar keeps its row: the newest line it read and `0` from the range, not the instant. */
const seen = `max by (host_name) (max_over_time(openclaw_sidecar_files_open${sel()}[$__range]))`;
const now = `max by (host_name) (openclaw_sidecar_files_open${sel()})`;

const byName = (name: string, ...properties: Array<{ id: string; value?: unknown }>) => ({ matcher: { id: "byName", options: name }, properties });
const upWords = { id: "mappings", value: [{ type: "value", options: { "0": { text: "silent", color: "red", index: 0 }, "1": { text: "up", color: "green", index: 1 } } }] };
const stateColours = { id: "mappings", value: [{ type: "value", options: {
  healthy: { color: "green", index: 0 }, degraded: { color: "orange", index: 1 }, down: { color: "red", index: 2 }, unknown: { color: "text", index: 3 },
} }] };
const coloured = { id: "custom.cellOptions", value: { type: "color-text" } };

export const fleet: DashboardSpec = {
  uid: "openclaw-fleet",
  title: "Fleet",
  description: "Many gateways on one screen: each gateway's own verdict (the one its status page shows), since when, why, its newest line and whether its sidecar still reports.",
  channelVariable: false,
  items: [
    { title: "Who is down", unit: "none", w: 24, h: 10, type: "table",
      description: "One row per gateway: state, reason and since as its status page says them (openclaw_gateway_verdict), the newest log line its sidecar read, "
        + "and whether the sidecar reports now (silent: seen in the time range, not now; see OpenClawSidecarMissing).",
      queries: [
        { expr: `max by (host_name, openclaw_state, openclaw_reason) (openclaw_gateway_verdict${sel()} == 1)` },
        // 0 while unknown: no since to show then.
        { expr: `max by (host_name) (openclaw_gateway_verdict_since_seconds${sel()} > 0) * 1000` },
        { expr: `max by (host_name) (max_over_time(openclaw_sidecar_source_last_line_seconds${sel()}[$__range])) * 1000` },
        { expr: `(${now} * 0 + 1) or (${seen} * 0)` },
      ],
      table: {
        transformations: [
          { id: "merge", options: {} },
          { id: "organize", options: {
            excludeByName: { Time: true, "Value #A": true },
            indexByName: { host_name: 0, openclaw_profile: 1, openclaw_state: 2, "Value #B": 3, openclaw_reason: 4, "Value #C": 5, "Value #D": 6 },
            renameByName: { host_name: "host", openclaw_profile: "profile", openclaw_state: "state", "Value #B": "since", openclaw_reason: "reason",
              "Value #C": "last line read", "Value #D": "sidecar up" },
          } },
          { id: "sortBy", options: { sort: [{ field: "state", desc: false }] } },
        ],
        overrides: [
          byName("since", { id: "unit", value: "dateTimeFromNow" }),
          byName("last line read", { id: "unit", value: "dateTimeFromNow" }),
          byName("sidecar up", upWords, coloured),
          byName("state", stateColours, coloured),
        ],
      } },
    { title: "Gateways by state", unit: "short", stack: true, w: 12,
      description: "How many gateways (host and profile) are in each state over time, from their own verdicts.",
      queries: [{ expr: `count by (openclaw_state) (openclaw_gateway_verdict${sel()} == 1)`, legend: "{{openclaw_state}}" }] },
    { title: "Verdict per gateway", unit: "short", w: 12,
      description: "Each gateway's state over time: 0 healthy, 1 degraded, 2 down, -1 unknown (the verdict series that is 1, mapped to a level).",
      queries: [{ expr: `max by (host_name) (
  (openclaw_gateway_verdict${sel('openclaw_state="degraded"')} == 1) * 1
  or (openclaw_gateway_verdict${sel('openclaw_state="down"')} == 1) * 2
  or (openclaw_gateway_verdict${sel('openclaw_state="unknown"')} == 1) * -1
  or (openclaw_gateway_verdict${sel('openclaw_state="healthy"')} == 1) * 0
)`, legend: "{{host_name}}" }] },
  ],
};
