/** The report's summary never writes a request count the log cannot show. */
import { describe, expect, it } from "vitest";
import type { ProviderSummary, Verdict } from "../../src/incidents/index.ts";
import { renderText, type ReportData } from "../../src/report/render.ts";

const T = Date.UTC(2026, 3, 20, 10, 0, 1);
const verdict: Verdict = { state: "healthy", reason: "no incident seen", since: T, incidents: [] };
const provider = (name: string, ok: number, failed: number): ProviderSummary =>
  ({ provider: name, ok, failed, turns: 0, lastFailure: T, lastFailureReason: "rate_limit", profiles: [] });
const data = (providers: ProviderSummary[]): ReportData => ({
  since: -Infinity, until: T, at: T, atIsEnd: true, files: ["openclaw.log"], lines: 10, events: 5, sources: ["log"],
  firstTs: T, lastTs: T, incidents: [], verdict, providers, before: { events: 0, newest: null },
});
const summary = (providers: ProviderSummary[]) => renderText(data(providers), { utc: true }).split("Summary\n")[1]!;

describe("report summary: request counts", () => {
  it("says requests are not in a log without [model-fetch] lines instead of 0 ok / 0 failed", () => {
    const text = summary([provider("anthropic", 0, 0)]);
    expect(text).not.toMatch(/0 ok|0 failed/);
    expect(text).toContain("  anthropic: last failure 10:00:01 (rate_limit)\n");
    expect(text).toContain("requests: not in this log");
  });

  it("writes no 0 ok when successes are not logged (info level), and says how to get them", () => {
    const text = summary([provider("anthropic", 0, 18), provider("openai", 0, 1)]);
    expect(text).toContain("  anthropic: 18 failed requests, last failure");
    expect(text).toContain("  openai: 1 failed request, last failure");
    expect(text).toContain('set logging.level to "debug"');
  });

  it("writes both counts once successes are in the log", () => {
    const text = summary([provider("anthropic", 0, 1), provider("openai", 3, 0)]);
    expect(text).toContain("  anthropic: 0 ok / 1 failed request, last failure");
    expect(text).toContain("  openai: 3 ok / 0 failed requests, last failure");
    expect(text).not.toContain("not in this log");
  });
});
