/**
 * Attribute hygiene: what may become a metric label, and in what form.
 *
 * Upstream diagnostics-otel's rule (docs/openclaw-formats.md §4.2), widened by one character: a
 * value is redacted, must then match ^[A-Za-z0-9_.:/-]{1,120}$ without `//`, otherwise it
 * becomes "unknown". The `/` is ours (issue 24): OpenRouter-style model names
 * (`openrouter/anthropic/claude-sonnet-4`), common in OpenClaw configs, would otherwise all be
 * "unknown" and lose their breakdown, health and alerts; `//` stays out so no URL becomes a label; values starting with
 * "agent:" are session keys and become "unknown"; values that look like credentials (key
 * prefixes, long random words; redact.ts looksLikeSecret) become "unknown"; `openclaw.lane` keeps only the prefix before
 * the first ":" (`session:agent:main:…` -> `session`). On top of that, only the keys the
 * catalogue lists for a metric are allowed: anything else is a programming error in a
 * recorder, so it throws outside production instead of leaking an identifier as a label.
 */
import { looksLikeSecret, redactSecrets } from "../../redact/redact.ts";
import type { MetricDef } from "./catalogue.ts";
import { LANE, PROFILE } from "./attribute-keys.ts";

export type RawAttrValue = string | number | boolean | undefined | null;
export type RawAttrs = Readonly<Record<string, RawAttrValue>>;
/** Label set after hygiene: plain strings, keys from the catalogue only. */
export type CleanAttrs = Record<string, string>;

export const UNKNOWN = "unknown";
const VALUE_RE = /^[A-Za-z0-9_.:/-]{1,120}$/;

// Label values repeat (a few providers, models, channels): cache the verdict so the hot path
// does not run the secret redactor for every data point. Bounded so odd input cannot grow it.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, string>();

/** Applies the value rule to one value. Numbers and booleans are stringified first. */
export function boundValue(value: string | number | boolean): string {
  const text = String(value);
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const clean = computeBound(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, clean);
  return clean;
}

function computeBound(text: string): string {
  if (!VALUE_RE.test(text) || text.startsWith("agent:") || text.includes("//")) return UNKNOWN;
  // A value the redactor would change carries a secret (an API key matches the regex); a value
  // that does not read like a name (a key prefix, a long random word) is one too: a secret in
  // a provider or model field would otherwise reach /metrics, the page and the checkpoint.
  return redactSecrets(text) === text && !looksLikeSecret(text) ? text : UNKNOWN;
}

/** `session:agent:main:abc` -> `session`; then the value rule. */
export function laneValue(value: string): string {
  const colon = value.indexOf(":");
  return boundValue(colon === -1 ? value : value.slice(0, colon));
}

/**
 * An HTTP status as a label: 100-599 as written, any other number "other", none "unknown".
 * One rule for every metric with openclaw.http.status, so a storm of odd numbers cannot mint
 * a series per number.
 */
export function httpStatusLabel(status: number | undefined): string {
  if (status === undefined) return UNKNOWN;
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "other";
}

/** Whether unknown attribute keys throw (dev/test) or are silently dropped (production). */
export function strictKeysDefault(): boolean {
  return process.env.NODE_ENV !== "production";
}

/**
 * Cleans a recorder's attributes for `def`. Keys whose value is undefined/null are left out
 * (upstream sets e.g. `openclaw.reason` only when present).
 */
export function cleanAttributes(def: MetricDef, attrs: RawAttrs, strictKeys: boolean): CleanAttrs {
  const out: CleanAttrs = {};
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (value === undefined || value === null) continue;
    // PROFILE is reserved for every metric: which gateway the series is about (attribute-keys.ts).
    if (key !== PROFILE && !def.attributes.includes(key)) {
      if (strictKeys) throw new Error(`metric ${def.name} does not allow attribute ${key}`);
      continue;
    }
    out[key] = key === LANE ? laneValue(String(value)) : boundValue(value);
  }
  return out;
}

/** Stable identity of a label set: sorted key=value pairs. */
export function seriesKey(attrs: CleanAttrs): string {
  const keys = Object.keys(attrs).sort();
  let key = "";
  for (const k of keys) key += `${k}\u0000${attrs[k]}\u0001`;
  return key;
}

/** A copy with keys in sorted order, so every output is stable. */
export function sortedAttrs(attrs: CleanAttrs): CleanAttrs {
  const out: CleanAttrs = {};
  for (const k of Object.keys(attrs).sort()) out[k] = attrs[k] as string;
  return out;
}
