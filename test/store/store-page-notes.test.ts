/**
 * The page's "what the inputs cannot show" notes (issue 23): with OpenClaw's session store
 * followed and no plugin, only what the store really lacks is said (turn outcomes and run
 * durations); tokens, cost and successful model calls are no longer called unseen. A log line
 * has been read (seenLine), so the default-level note about successful requests would apply.
 */
import { expect, it } from "vitest";
import { LiveIncidents } from "../../src/serving/live-incidents.ts";
import { incidentPart } from "../../src/serving/status-incidents.ts";

const notes = (hasJsonl: boolean, hasStore: boolean): string[] => {
  const wall = Date.UTC(2026, 11, 7, 12);
  const li = new LiveIncidents(() => wall);
  li.seenLine(wall - 1000);
  return incidentPart(li, hasJsonl, hasStore).missing.map((m) => m.what);
};

it("log only: tokens, cost, turns and successful requests are unseen", () => {
  expect(notes(false, false)).toEqual(["Tokens, cost and successful turns", "Successful requests"]);
});

it("log and session store: only turn outcomes and run durations remain unseen", () => {
  expect(notes(false, true)).toEqual(["Successful turns and run durations"]);
});

it("with the plugin nothing of these is unseen, store or not", () => {
  expect(notes(true, false)).toEqual([]);
  expect(notes(true, true)).toEqual([]);
});
