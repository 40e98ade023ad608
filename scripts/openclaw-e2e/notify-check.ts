// Checks the notifications the live sidecar sent during a live run (live-sidecar.ts) against
// what really happened, from sources the sidecar never wrote: the fake provider's record (which
// key or model answered what, and when), run-info.json (which provider serves which model), the
// CLI's turn outcomes (which turns failed) and OpenClaw's own cooldown lines in its log, read as
// plain JSON here. The rules are general (any scenario of this harness), not this run's texts:
// - nothing is told before the first failing answer (the healthy phase tells nothing);
// - each provider answering 401/403, 429 or 402 is told as auth / rate-limited / billing, with
//   the time it started and the cooldown OpenClaw logged for it; the fallback to the next
//   candidate (the next request to another provider) is named; failed turns are told as every
//   model failing, and a later turn that succeeded as its end, with the downtime between the two;
// - first tellings come in the order of the evidence; no message is repeated (an incident is
//   opened again only after its end was told; one that ended before it could be told is told
//   once, as ended), across the SIGKILL in the middle; every target
//   accepted every message; the planted credentials are in none of the sidecar's output.
//
// Usage: node scripts/openclaw-e2e/notify-check.ts --dir <captured dir>
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { CHAT, DISCORD_PATH, HOOK_PATH, NTFY_PATH, SLACK_PATH, TOKEN } from "../../test/notify/fake-chats.ts";
import type { RecordEntry } from "./fake-provider.ts";
import type { TurnOutcome } from "./gateway.ts";
import { LIVE_BUDGET_TOKENS } from "./live-sidecar.ts";
import { loggedWindows } from "./cooldown-lines.ts";

const { values: args } = parseArgs({ options: { dir: { type: "string" } } });
if (!args.dir) throw new Error("need --dir");
const dir = path.resolve(args.dir);
const read = (f: string) => readFileSync(path.join(dir, f), "utf8");

interface Got { api: string; at: number; status: number; text: string }
const { kills, received } = JSON.parse(read("notify-received.json")) as { kills: number[]; received: Got[] };
const record = JSON.parse(read("provider-record.json")) as RecordEntry[];
const turns = JSON.parse(read("turns.json")) as (TurnOutcome & { phase: string })[];
const info = JSON.parse(read("run-info.json")) as { providers: Record<string, { models: string[] }> };
const providerOf = (model: string) => Object.entries(info.providers).find(([, p]) => p.models.includes(model))?.[0] ?? "unknown";

let problems = 0;
const check = (ok: boolean, what: string) => {
  if (!ok) problems++;
  process.stdout.write(`${ok ? "ok  " : "FAIL"}  notify  ${what}\n`);
};
const hms = (ts: number) => new Date(ts).toISOString().slice(11, 19);

// ---- The messages, as a person reads them in Telegram ----
type Change = "opened" | "update" | "still" | "resolved";
interface Item { msg: number; change: Change; head: string; body: string }
const PREFIX: Array<[RegExp, Change]> = [[/^update: /i, "update"], [/^resolved: /i, "resolved"], [/^still going on: /i, "still"]];
function itemOf(msg: number, head: string, body: string): Item {
  for (const [re, change] of PREFIX) if (re.test(head)) return { msg, change, head: head.replace(re, ""), body };
  return { msg, change: "opened", head, body };
}
const telegram = received.filter((r) => r.api === "telegram" && r.status >= 200 && r.status < 300);
const items: Item[] = [];
telegram.forEach((m, i) => {
  const blocks = m.text.split("\n\n").filter((b) => b !== "status page");
  const title = blocks[0]!.split("\n")[0]!.replace(/^\S+ /, "");
  // One item: the title is its head; several: each block opens with its own head.
  if (!/\(\+\d+ more\)$/.test(title)) items.push(itemOf(i, title, blocks.slice(1).join("\n")));
  else for (const b of blocks.slice(1)) items.push(itemOf(i, b.split("\n")[0]!, b));
});
process.stdout.write(`notify: ${telegram.length} Telegram messages, ${items.length} items, ${kills.length} SIGKILL(s)\n`);
for (const it of items) process.stdout.write(`        #${it.msg + 1} ${it.change.padEnd(8)} ${it.head}\n`);

/** A "HH:MM:SS UTC" in an item's body right after `label` (a regex source), as epoch ms on the day of message `at`. */
function timeAfter(body: string, label: string, at: number): number | undefined {
  const m = new RegExp(`${label}(\\d\\d):(\\d\\d):(\\d\\d) UTC`).exec(body);
  if (!m) return undefined;
  const day = Math.floor(at / 86_400_000) * 86_400_000;
  const t = day + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
  return t > at + 43_200_000 ? t - 86_400_000 : t;
}
/** Times print to the second: [from, to] widened by the truncation and the log's own delay. */
const within = (t: number | undefined, from: number, to: number) => t !== undefined && t >= Math.floor(from / 1000) * 1000 - 1000 && t <= to + 2000;
/** The first telling of `head`: opened, or (one that ended before it could be told) resolved. */
const first = (head: string, change?: Change) => items.find((i) => i.head === head && (change ? i.change === change : i.change === "opened" || i.change === "resolved"));
/** When an item says its incident started: "since T", or for one told as ended "(T UTC to" / "at T". */
const startOf = (it: Item, at: number) => timeAfter(it.body, "since ", at) ?? timeAfter(it.body, "\\(", at) ?? timeAfter(it.body, "at ", at);

// ---- Nothing for the healthy phase ----
const bad = record.filter((r) => r.status !== 200).sort((a, b) => a.t - b.t);
check(bad.length > 0 && telegram.every((m) => m.at >= bad[0]!.t), `no message before the first failing answer (${bad[0] ? hms(bad[0].t) : "none"} UTC)`);

// ---- Each provider's trouble, with its start, cooldown and fallback ----
const cooldowns = (await loggedWindows(dir)).map((w) => ({ ...w, until: w.cooldownUntil ?? w.disabledUntil ?? 0 }));
const KINDS: Array<{ statuses: number[]; label: string; reason: string }> = [
  { statuses: [401, 403], label: "auth failures", reason: "auth" },
  { statuses: [429], label: "rate-limited", reason: "rate_limit" },
  { statuses: [402], label: "billing failures", reason: "billing" },
];
const evidence: Array<{ head: string; at: number }> = [];
for (const provider of Object.keys(info.providers)) {
  for (const k of KINDS) {
    const hits = record.filter((r) => providerOf(r.model) === provider && k.statuses.includes(r.status));
    if (hits.length === 0) continue;
    const head = `${provider} ${k.label}`;
    const it = first(head);
    evidence.push({ head, at: hits[0]!.t });
    check(it !== undefined, `"${head}" told (${hits.length} answers ${[...new Set(hits.map((h) => h.status))].join("/")} from ${hms(hits[0]!.t)} UTC)`);
    if (!it) continue;
    const at = telegram[it.msg]!.at;
    check(within(startOf(it, at), hits[0]!.t, hits[0]!.endT ?? hits[0]!.t), `"${head}" starts when the first ${hits[0]!.status} came`);
    const logged = cooldowns.filter((c) => c.provider === provider && c.reason === k.reason && c.until > 0).map((c) => hms(c.until));
    if (logged.length > 0) {
      const told = items.filter((i) => i.head === head).map((i) => /in cooldown until (\d\d:\d\d:\d\d) UTC|disabled until (\d\d:\d\d:\d\d) UTC/.exec(i.body)).find((m) => m !== null);
      check(told != null && logged.includes(told[1] ?? told[2]!), `"${head}" names a cooldown OpenClaw logged (${[...new Set(logged)].join(", ")})`);
    }
    // A fallback: OpenClaw's next candidate, i.e. the first request to another provider after this
    // provider's failure in the same phase (whether that one answered or failed in turn).
    const fellBack = new Set<string>();
    for (const h of hits) {
      const next = record.find((r) => r.phase === h.phase && r.t > h.t && providerOf(r.model) !== provider);
      if (next) fellBack.add(`${providerOf(next.model)}/${next.model}`);
    }
    for (const to of fellBack) check(items.some((i) => i.head === head && i.body.includes(`fell back to ${to}`)), `"${head}" says it fell back to ${to}`);
  }
}

// ---- Every model failing, and its end with the downtime ----
const phases = [...new Set(record.map((r) => r.phase))];
const failedPhases = phases.filter((p) => turns.some((t) => t.phase === p && !t.ok));
if (failedPhases.length > 0) {
  const inPhase = record.filter((r) => r.phase === failedPhases[0]);
  const from = Math.min(...inPhase.map((r) => r.t)), to = Math.max(...inPhase.map((r) => r.endT ?? r.t));
  evidence.push({ head: "every model failing", at: from });
  const it = first("every model failing");
  check(it !== undefined && within(startOf(it, telegram[it.msg]!.at), from, to), `"every model failing" told, starting in phase ${failedPhases[0]} (${hms(from)}-${hms(to)} UTC)`);
  const lastFailed = phases.indexOf(failedPhases.at(-1)!);
  const recovery = phases.slice(lastFailed + 1).find((p) => turns.some((t) => t.phase === p && t.ok));
  const ok = record.find((r) => r.phase === recovery && r.status === 200);
  if (ok) {
    const end = first("every model failing", "resolved");
    const at = end ? telegram[end.msg]!.at : 0;
    check(end !== undefined && /down \d/.test(end.body), `its end told with the downtime`);
    check(end !== undefined && within(timeAfter(end.body, "to ", at), ok.t, ok.endT ?? ok.t), `the downtime ends when the ${recovery} phase's first answer came (${hms(ok.t)} UTC)`);
  }
}

// ---- The token budget: each default step the provider's tokens crossed is told, none beyond ----
const used = record.filter((r) => r.status === 200).reduce((a, r) => a + r.promptTokens + r.completionTokens, 0);
const pct = (used / LIVE_BUDGET_TOKENS) * 100;
const toldSteps = items.map((i) => /^token budget: (\d+) % used today$/.exec(i.head)).filter((m) => m !== null).map((m) => Number(m[1]));
const highest = [50, 80, 95, 100].filter((s) => s <= pct).at(-1);
check(toldSteps.every((s) => s <= pct) && (highest === undefined ? toldSteps.length === 0 : toldSteps.at(-1) === highest)
  && toldSteps.every((s, i) => i === 0 || s > toldSteps[i - 1]!),
  `token budget ${LIVE_BUDGET_TOKENS}: the provider's ${used} tokens are ${pct.toFixed(1)} %, steps told ${toldSteps.join(", ") || "none"} (last must be ${highest ?? "none"})`);

// ---- Order, repeats, every target, secrets ----
const firstTold = evidence.sort((a, b) => a.at - b.at).map((e) => first(e.head)?.msg ?? -1);
check(firstTold.every((m, i) => m >= 0 && (i === 0 || m >= firstTold[i - 1]!)), `first tellings in the order of the evidence (${evidence.map((e) => e.head).join(" < ")})`);
const texts = telegram.map((m) => m.text);
check(new Set(texts).size === texts.length, "no message sent twice");
const reopened = items.filter((it, i) => it.change === "opened" && items.slice(0, i).some((p) => p.head === it.head && p.change === "opened")
  && !items.slice(0, i).some((p) => p.head === it.head && p.change === "resolved"));
check(reopened.length === 0, `no incident told as new twice without its end between${reopened.length ? `: ${reopened.map((r) => r.head).join(", ")}` : ""}`);
check(kills.length > 0 && telegram.some((m) => m.at > kills[0]!), "the sidecar was SIGKILLed mid-run and told what came after");
const apis = ["telegram", "discord", "slack", "ntfy", "webhook"];
const counts = apis.map((a) => received.filter((r) => r.api === a && r.status >= 200 && r.status < 300).length);
check(counts.every((c) => c === telegram.length) && received.every((r) => r.status < 300), `every target accepted every message (${apis.map((a, i) => `${a} ${counts[i]}`).join(", ")})`);
const output = read("live-sidecar.txt") + read("live-metrics.txt");
const planted = [TOKEN, CHAT, DISCORD_PATH, SLACK_PATH, NTFY_PATH, HOOK_PATH];
check(planted.every((s) => !output.includes(s)), "no planted token, chat id or webhook path in the sidecar's log or /metrics");

process.stdout.write(problems === 0 ? "notify: every message as the run calls for\n" : `notify: ${problems} problem(s)\n`);
process.exit(problems === 0 ? 0 : 1);
