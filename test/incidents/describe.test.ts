/** Incident lines as an operator reads them: no repeated counts, no empty words, the right cause. */
import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { describeIncident, IncidentBuilder } from "../../src/incidents/index.ts";

const T0 = Date.UTC(2026, 10, 21, 20, 27, 0);
const base = (ts: number) => ({ ts, origin: "log" as const, profile: "" });
const fmt = { utc: true, withDate: false };
const lines = (events: OpenClawEvent[]) => {
  const b = new IncidentBuilder();
  for (const e of events) b.add(e);
  return b.incidents().map((i) => describeIncident(i, fmt));
};

describe("incident lines", () => {
  it("calls a Telegram 409 conflict what it is, not a network error", () => {
    expect(lines([{ type: "channel.telegram.network_error", ...base(T0), phase: "conflict", method: "getUpdates", retryInMs: 30_000 }]))
      .toEqual(["20:27:00  telegram getUpdates conflict (another instance polls with this bot token)  [ongoing]"]);
    expect(lines([0, 1].map((k) => ({ type: "channel.telegram.network_error", ...base(T0 + k), phase: "send", method: "sendMessage" }) as OpenClawEvent)))
      .toEqual(["20:27:00  telegram sendMessage network error x2  [ongoing]"]);
  });

  it("gives a single reason without repeating the line's count, several with theirs", () => {
    const reconnect = (ts: number, reason: string): OpenClawEvent => ({ type: "channel.discord.reconnect", ...base(ts), reason });
    expect(lines([reconnect(T0, "zombie"), reconnect(T0 + 1, "zombie"), reconnect(T0 + 2, "zombie")]))
      .toEqual(["20:27:00  discord reconnect x3 (zombie)  [ongoing]"]);
    expect(lines([reconnect(T0, "zombie"), reconnect(T0 + 1, "zombie"), reconnect(T0 + 2, "close")]))
      .toEqual(["20:27:00  discord reconnect x3 (zombie x2, close)  [ongoing]"]);
  });

  it("drops a session reason that only repeats the warning's name", () => {
    const long = (ts: number): OpenClawEvent => ({ type: "session.long_running", ...base(ts), sessionKey: "agent:main:main", ageMs: 130_000, classification: "long_running" });
    expect(lines([long(T0), long(T0 + 1)])).toEqual(["20:27:00  session long-running (1 session, oldest 2 min) x2  [ongoing]"]);
  });
});
