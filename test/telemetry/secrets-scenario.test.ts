/**
 * The reliability suite's secrets scenario (test/reliability/secrets.ts) in the ordinary test
 * run, with one protocol (the suite runs both): every planted shape, every sink, the real CLI.
 */
import { describe, expect, it } from "vitest";
import { runSecretsScenario } from "../reliability/secrets.ts";

describe("secrets_scenario", () => {
  it("lets no planted secret reach OTLP, /metrics, the page, /status.json, the checkpoint or stderr", async () => {
    const r = await runSecretsScenario({ protocols: ["http/json"] });
    expect(r.leaks).toEqual([]);
    expect(r.verdict, r.observed).toBe("PASS");
    expect(r.trials).toBeGreaterThanOrEqual(50 * 24);
  }, 60_000);
});
