/**
 * On-demand check of the session store reader against a finished live run (issue 23): reads
 * OpenClaw's state directory of a run of scripts/openclaw-e2e (its `<work>/state`) through
 * src/store, as `run` would with --from-beginning, and compares tokens per model with the fake
 * provider's record (`<out>/provider-record.json`: every 200 answer's prompt and completion
 * tokens). With --metrics URL|FILE it also compares a sidecar's /metrics (openclaw_tokens_total)
 * that followed the same run live, which is what counts sessions the gateway deleted during the
 * run; the CI run's live sidecar also reads the plugin's JSONL and was SIGKILLed mid-run, so
 * equal figures there mean neither source nor the restart counted anything twice.
 *
 *   node scripts/store-check.ts --state <work>/state --record <out>/provider-record.json [--metrics http://127.0.0.1:9464/metrics | FILE]
 *
 * Exit 0 when every figure matches, 1 otherwise (each difference on one line). Reads only; the
 * fake provider reports no cached tokens, so its prompt tokens are OpenClaw's `usage.input`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ModelUsage } from "../src/events/types.ts";
import { StoreFollower } from "../src/store/store-follower.ts";

interface Entry { status: number; model: string; promptTokens: number; completionTokens: number }
type Totals = Map<string, { calls: number; input: number; output: number }>;

const { values } = parseArgs({ options: { state: { type: "string" }, record: { type: "string" }, metrics: { type: "string" } } });
if (!values.state || !values.record) {
  process.stderr.write("usage: node scripts/store-check.ts --state DIR --record provider-record.json [--metrics URL]\n");
  process.exit(2);
}

const add = (t: Totals, model: string, input: number, output: number, calls = 1) => {
  const row = t.get(model) ?? { calls: 0, input: 0, output: 0 };
  row.calls += calls; row.input += input; row.output += output;
  t.set(model, row);
};

// The ground truth: what the fake provider put in its 200 answers.
const want: Totals = new Map();
for (const e of JSON.parse(readFileSync(values.record, "utf8")) as Entry[]) if (e.status === 200) add(want, e.model, e.promptTokens, e.completionTokens);

// The store as it is now (sessions deleted during the run are gone from it: see --metrics).
const got: Totals = new Map();
const follower = new StoreFollower({ stateDir: values.state, profile: "", fromBeginning: true, onError: (m) => process.stderr.write(`${m}\n`) });
const events: ModelUsage[] = [];
for (let i = 0; i < 1000 && follower.pollOnce((ev) => events.push(ev)); i++);
follower.close();
for (const ev of events) add(got, ev.model ?? "unknown", ev.usage.input ?? 0, ev.usage.output ?? 0);

let problems = 0;
function compare(what: string, a: Totals, b: Totals, withCalls: boolean): void {
  for (const model of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(model) ?? { calls: 0, input: 0, output: 0 }, y = b.get(model) ?? { calls: 0, input: 0, output: 0 };
    const same = x.input === y.input && x.output === y.output && (!withCalls || x.calls === y.calls);
    if (!same) problems++;
    process.stdout.write(`${same ? "ok  " : "DIFF"}  ${what}  ${model}: provider ${x.calls} calls, in ${x.input}, out ${x.output}; `
      + `${what} ${withCalls ? `${y.calls} calls, ` : ""}in ${y.input}, out ${y.output}\n`);
  }
}
compare("store", want, got, true);

if (values.metrics) {
  // A URL, or a file a live run left (scripts/openclaw-e2e/live-sidecar.ts: live-metrics.txt).
  const text = /^https?:/.test(values.metrics) ? await (await fetch(values.metrics)).text() : readFileSync(values.metrics, "utf8");
  const live: Totals = new Map();
  for (const m of text.matchAll(/^openclaw_tokens_total\{([^}]*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    if (labels.openclaw_token === "input") add(live, labels.openclaw_model ?? "unknown", Number(m[2]), 0, 0);
    if (labels.openclaw_token === "output") add(live, labels.openclaw_model ?? "unknown", 0, Number(m[2]), 0);
  }
  compare("/metrics", want, live, false);
}
process.stdout.write(problems === 0 ? "every figure matches the provider's record\n" : `${problems} difference(s)\n`);
process.exit(problems === 0 ? 0 : 1);
