/**
 * Alert and recording rules: promtool accepts and unit-tests them (spawned for real), every
 * alert follows the conventions (severity, for, summary, description, runbook anchor), has a
 * "fires" and a "not yet" promtool case, and uses only series the sidecar/collector produce.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allowedLabels, at, stackBin, githubAnchor, goldenNames, listFiles, loadRules, promql, readText, readYaml, run } from "./stack-helpers.ts";

const rules = loadRules();
/** Each item of product.md's "Alerts worth having" (by its first words) and the alerts that answer it. */
const PRODUCT_ALERTS: Record<string, string[]> = {
  "All models failing": ["OpenClawAllModelsFailing"],
  "failover storm": ["OpenClawModelFailoverStorm"],
  "sustained rate limiting": ["OpenClawProviderRateLimited"],
  "auth failures": ["OpenClawProviderAuthFailing"],
  "billing exhausted": ["OpenClawProviderBillingExhausted"],
  "every auth profile of a provider in cooldown": ["OpenClawProviderProfilesExhausted"],
  "session stuck": ["OpenClawSessionStuck"],
  "queue depth": ["OpenClawQueueDepthHigh"],
  "lane wait": ["OpenClawLaneWaitHigh"],
  "model failure rate": ["OpenClawModelFailureRateHigh"],
  "model latency": ["OpenClawModelLatencyHigh"],
  "context use": ["OpenClawContextUsageHigh"],
  "cost per hour": ["OpenClawCostPerHourHigh", "OpenClawTokenBudgetNearlyUsed"],
  "tool loop critical": ["OpenClawToolLoopCritical"],
  "webhook error ratio": ["OpenClawWebhookErrorRatioHigh"],
  "channel reconnect loops": ["OpenClawChannelReconnectLoop", "OpenClawChannelNetworkErrors"],
  "gateway log silent": ["OpenClawGatewayLogSilent", "OpenClawGatewayHeartbeatMissing"],
  "sidecar down": ["OpenClawSidecarDown", "OpenClawSidecarLagging", "OpenClawSidecarRejectingLines"],
  "an always-firing Watchdog": ["OpenClawWatchdog"],
};
const alerts = rules.filter((r) => r.alert !== undefined);
const recorded = new Set(rules.flatMap((r) => (r.record !== undefined ? [r.record] : [])));
const testFiles = listFiles("prometheus/tests", ".test.yml").map((f) => join("prometheus", "tests", f));

interface AlertCase { eval_time: string; alertname: string; exp_alerts?: Array<{ exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }> }
const cases: AlertCase[] = testFiles.flatMap((f) => {
  const doc = readYaml(f) as { tests: Array<{ alert_rule_test?: AlertCase[] }> };
  return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
});

describe("prometheus rules", () => {
  it("pass promtool check rules", () => {
    const r = run(stackBin("promtool"), ["check", "rules", ...listFiles("prometheus/rules", ".yml").map((f) => join("prometheus", "rules", f))]);
    expect(r.stderr + r.stdout).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
  });

  it("pass promtool test rules", () => {
    // The week-long baseline file alone takes tens of seconds on a busy 2-CPU machine.
    const r = run(stackBin("promtool"), ["test", "rules", ...testFiles], { timeoutMs: 240_000 });
    expect(r.stdout + r.stderr, r.stdout + r.stderr).not.toMatch(/FAILED/);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  it("order every rule group in each promtool file, recording rules first (else values depend on map order)", () => {
    const groupsOf = (file: string) => (readYaml("prometheus", "rules", file) as { groups: Array<{ name: string }> }).groups.map((g) => g.name);
    for (const f of testFiles) {
      const doc = readYaml(f) as { rule_files: string[]; group_eval_order?: string[] };
      const groups = doc.rule_files.flatMap((r) => groupsOf(r.replace("../rules/", "")));
      expect(doc.group_eval_order, f).toEqual(expect.arrayContaining(groups));
      expect(doc.group_eval_order?.slice(0, 3), f).toEqual(["openclaw-increases", "openclaw-knobs", "openclaw-recording"]);
    }
  });

  it("fail promtool test rules when an expected annotation is wrong", () => {
    // Guards against tests that cannot fail: the same test file with one description changed.
    const dir = mkdtempSync(join(tmpdir(), "openclaw-rules-"));
    try {
      const text = readText("prometheus", "tests", "models.test.yml")
        .replaceAll("../rules/", `${at("prometheus", "rules")}/`)
        .replace("p95 latency of openai/gpt-5 is 58500 ms.", "p95 latency of openai/gpt-5 is 1 ms.");
      writeFileSync(join(dir, "mutated.test.yml"), text);
      const r = run(stackBin("promtool"), ["test", "rules", join(dir, "mutated.test.yml")]);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/OpenClawModelLatencyHigh/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("cover every alert the product asks for, read from ../shared/product.md", () => {
    // The product's own list ("Alerts worth having"), item by item; a new item there without an
    // alert here fails, as does an alert named here that the rules lack.
    const product = readFileSync(join(at(".."), "shared", "product.md"), "utf8");
    const section = /## Alerts worth having[^\n]*\n\n([\s\S]*?)\n\n/.exec(product)?.[1]?.replace(/\s+/g, " ") ?? "";
    const items = section.split(";").map((x) => x.trim().replace(/^and /, "").replace(/\.$/, ""));
    expect(items.length, section).toBeGreaterThanOrEqual(19);
    const names = new Set(alerts.map((a) => a.alert));
    for (const item of items) {
      const entry = Object.entries(PRODUCT_ALERTS).find(([start]) => item.startsWith(start));
      expect(entry, `product.md asks for "${item}": name its alert in PRODUCT_ALERTS`).toBeDefined();
      for (const alert of entry![1]) expect(names, `${item} -> ${alert}`).toContain(alert);
    }
  });

  it("follow the naming, label and annotation conventions", () => {
    for (const a of alerts) {
      expect(a.alert, a.alert).toMatch(/^OpenClaw[A-Z][A-Za-z0-9]+$/);
      expect(Object.keys(a.labels), a.alert).toEqual(["severity"]);
      expect(["critical", "warning", "info"], a.alert).toContain(a.labels.severity);
      expect(a.for, a.alert).toMatch(/^\d+[smh]$/);
      expect(a.annotations.summary, a.alert).toMatch(/^[A-Z].*\.$/);
      expect(a.annotations.description, a.alert).toMatch(/\{\{ \$(labels|value)/);
      // One base for every link (external label openclaw_runbook_base, else the sidecar's page).
      expect(a.annotations.runbook_url, a.alert).toBe(`{{ or $externalLabels.openclaw_runbook_base "http://127.0.0.1:9464/runbook" }}#${a.alert?.toLowerCase()}`);
    }
  });

  it("link every alert to a runbook section with Meaning, Impact, Diagnosis and Mitigation", () => {
    const runbook = readText("prometheus", "runbook.md");
    const sections = new Map<string, string>();
    for (const part of runbook.split(/^## /m).slice(1)) {
      const [heading = "", ...body] = part.split("\n");
      sections.set(githubAnchor(heading), body.join("\n"));
    }
    for (const a of alerts) {
      const anchor = a.annotations.runbook_url?.split("#")[1] ?? "";
      const body = sections.get(anchor);
      expect(body, `${a.alert} -> #${anchor}`).toBeDefined();
      for (const part of ["Meaning", "Impact", "Diagnosis", "Mitigation"]) expect(body, `${a.alert} ${part}`).toContain(`**${part}:**`);
    }
  });

  it("have a promtool case where each alert fires with its labels and annotations, and one where it does not yet", () => {
    for (const name of new Set(alerts.map((a) => a.alert ?? ""))) {
      const mine = cases.filter((c) => c.alertname === name);
      const firing = mine.filter((c) => (c.exp_alerts ?? []).length > 0);
      expect(firing.length, `${name} fires`).toBeGreaterThan(0);
      expect(mine.some((c) => (c.exp_alerts ?? []).length === 0), `${name} not yet`).toBe(true);
      for (const c of firing) {
        for (const e of c.exp_alerts ?? []) {
          expect(e.exp_labels?.severity, name).toBeDefined();
          expect(Object.keys(e.exp_annotations ?? {}).sort(), name).toEqual(["description", "runbook_url", "summary"]);
        }
      }
    }
  });

  it("parse with the PromQL grammar and use only golden series and catalogue labels", () => {
    const golden = goldenNames();
    const labels = allowedLabels();
    const scrapeOnly = new Set(["up"]);
    // Knobs a user may add (the commented examples in knobs.yml) are fine to read.
    for (const m of readText("prometheus", "rules", "knobs.yml").matchAll(/^\s*# - record: (openclaw:knob:\w+)$/gm)) recorded.add(m[1] ?? "");
    for (const r of rules) {
      const facts = promql(r.expr);
      const who = r.alert ?? r.record ?? "";
      expect(facts.errors, `${who}: ${r.expr}`).toEqual([]);
      for (const m of facts.metrics) expect(golden.has(m) || recorded.has(m) || scrapeOnly.has(m), `${who} uses ${m}`).toBe(true);
      for (const l of facts.labels) expect(labels.has(l), `${who} uses label ${l}`).toBe(true);
    }
  });

  it("are all listed with their severities in the docs/stack.md alerts table", () => {
    const doc = readText("docs", "stack.md");
    for (const name of new Set(alerts.map((a) => a.alert ?? ""))) {
      const row = doc.split("\n").find((l) => l.startsWith(`| ${name} |`));
      expect(row, name).toBeDefined();
      for (const a of alerts.filter((x) => x.alert === name)) expect(row, name).toContain(a.labels.severity);
      expect(row, name).toContain(`#${name.toLowerCase()})`);
    }
  });

  it("take every threshold from knobs.yml: no number literal compared in an alert but 0 and up's 0", () => {
    for (const a of alerts) {
      const literals = [...(a.expr ?? "").matchAll(/(?:[<>]=?|==|!=)\s*(-?[0-9][0-9.e]*)/g)].map((m) => m[1]);
      expect(literals.filter((n) => n !== "0"), a.alert).toEqual([]);
    }
  });

  it("read counters only through the birth-aware increases, never a bare rate() or increase()", () => {
    const isIncrease = (r: (typeof rules)[number]) => /:increase\w+$/.test(r.record ?? "");
    for (const r of rules.filter((x) => !isIncrease(x))) expect(r.expr, r.alert ?? r.record).not.toMatch(/\b(rate|increase|irate)\(/);
    for (const r of rules.filter(isIncrease)) {
      const [, c, w] = /^\((\w+) unless last_over_time\(\1\[1d\] offset (\w+)\)\) or \(\(\1 - \1 offset \2\) >= 0\) or increase\(\1\[\2\]\)$/.exec(r.expr ?? "") ?? [];
      expect(c, `${r.record}: ${r.expr}`).toBeDefined();
      expect(r.record, r.expr).toMatch(new RegExp(`:increase${w}$`));
    }
  });

  it("keep every recording rule under the openclaw: namespace", () => {
    for (const name of recorded) expect(name).toMatch(/^openclaw:[a-z0-9_]+:[a-z0-9_]+$/);
  });
});
