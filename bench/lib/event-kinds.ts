/**
 * The seven event kinds the peers (mtail, the Collector) count, read from the sidecar's
 * `replay` summary on stderr ("  queue.lane.enqueue: 123"), and mtail's matching counters.
 */
export const KINDS: [kind: string, mtailCounter: string][] = [
  ["queue.lane.enqueue", "openclaw_lane_enqueue_total"],
  ["queue.lane.dequeue", "openclaw_lane_dequeue_total"],
  ["session.state", "openclaw_session_state_total"],
  ["message.processed", "openclaw_message_processed_total"],
  ["model.fetch", "openclaw_model_request_total"],
  ["model.failover", "openclaw_model_failover_total"],
  ["diagnostic.heartbeat", "openclaw_heartbeat_total"],
];

export function summaryCounts(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/^ {2}([a-z.]+): (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Sums every sample of `name` in Prometheus text (mtail adds a `prog` label). */
export function promSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  return sum;
}
