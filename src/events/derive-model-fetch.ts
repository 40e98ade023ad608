/**
 * Model transport lines (docs/openclaw-formats.md §3.3, §8): `[model-fetch] response|error …` of
 * provider-transport-fetch (6.11+; 9.6 logs them at DEBUG unless slow or non-2xx). Origin "log".
 */
import type { EventBase, OpenClawEvent } from "./types.ts";
import type { Envelope } from "./envelope.ts";
import { EchoMismatch, parseKv } from "./kv.ts";

/** `[model-fetch] response|error provider=… api=… model=… status=… elapsedMs=…` (6.11+). */
export function deriveModelFetch(env: Envelope, base: EventBase): OpenClawEvent | null {
  const t = env.text;
  const isResponse = t.startsWith("[model-fetch] response ");
  if (!isResponse && !t.startsWith("[model-fetch] error ")) return null;
  const kv = parseKv(t, isResponse ? 23 : 20);
  const w = "model.fetch";
  const provider = kv["provider"];
  const model = kv["model"];
  if (provider === undefined || model === undefined) throw new EchoMismatch(`${w}: provider and model required`);
  const status = kv["status"] === undefined ? undefined : Number(kv["status"]);
  const elapsedMs = kv["elapsedMs"] === undefined ? undefined : Number(kv["elapsedMs"]);
  if ((status !== undefined && !Number.isInteger(status)) || (elapsedMs !== undefined && !Number.isFinite(elapsedMs))) {
    throw new EchoMismatch(`${w}: status or elapsedMs not a number`);
  }
  let outcome: "success" | "http_error" | "network_error" | "timeout";
  if (isResponse) outcome = status !== undefined && status >= 200 && status < 300 ? "success" : "http_error";
  else outcome = /timeout|timed out/i.test(t) ? "timeout" : "network_error";
  return { type: w, ...base, origin: "log", provider, model, api: kv["api"], status, elapsedMs, outcome };
}
