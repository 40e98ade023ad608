/**
 * `key=value` text of OpenClaw's diagnostic echoes (docs/openclaw-formats.md §2.3), e.g.
 * `lane dequeue: lane=main waitMs=12 queueSize=0` or `webhook error: … error="boom" errors=3`.
 *
 * Quoted values are written without escaping (`error="${String(err)}"`), so a quote inside the
 * error is possible: a quoted value ends at the quote that is followed by end of text or by
 * ` <key>=`. Bracketed values (`work=[a b]`) run to the matching bracket.
 */

export type Kv = Record<string, string>;

function isKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
}

/** Index of the quote closing a value that opened at `from` (after the opening quote). */
function closingQuote(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q !== -1) {
    if (q === text.length - 1) return q;
    if (text.charCodeAt(q + 1) === 32) {
      let k = q + 2;
      while (k < text.length && isKeyChar(text.charCodeAt(k))) k++;
      if (k > q + 2 && text.charCodeAt(k) === 61) return q;
    }
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}

/** Parses `k=v` pairs from `start`; tokens that are not pairs are skipped. */
export function parseKv(text: string, start = 0): Kv {
  const out: Kv = {};
  let i = start;
  const n = text.length;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    if (i === keyStart || i >= n || text.charCodeAt(i) !== 61) {
      while (i < n && text.charCodeAt(i) !== 32) i++; // not a pair: skip the token
      continue;
    }
    const key = text.slice(keyStart, i);
    i++; // '='
    let value: string;
    if (text.charCodeAt(i) === 34) {
      const end = closingQuote(text, i + 1);
      value = text.slice(i + 1, end);
      i = end + 1;
    } else if (text.charCodeAt(i) === 91) {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === 91) depth++;
        else if (c === 93 && --depth === 0) break;
      }
      value = text.slice(i, j + 1);
      i = j + 1;
    } else {
      let j = text.indexOf(" ", i);
      if (j === -1) j = n;
      value = text.slice(i, j);
      i = j;
    }
    if (!(key in out)) out[key] = value;
  }
  return out;
}

/** Thrown by the field readers below when an echo's template matches but a value does not. */
export class EchoMismatch extends Error {}

/** `unknown` is what OpenClaw prints for a missing field (`x ?? "unknown"`). */
export function optStr(kv: Kv, key: string): string | undefined {
  const v = kv[key];
  return v === undefined || v === "unknown" || v === "" ? undefined : v;
}

export function reqStr(kv: Kv, key: string, what: string): string {
  const v = optStr(kv, key);
  if (v === undefined) throw new EchoMismatch(`${what}: ${key} required`);
  return v;
}

/** A number, optionally with a unit suffix (`duration=12ms`, `age=130s`). */
export function optNum(kv: Kv, key: string, what: string, suffix = ""): number | undefined {
  let v = optStr(kv, key);
  if (v === undefined) return undefined;
  if (suffix !== "" && v.endsWith(suffix)) v = v.slice(0, -suffix.length);
  const x = Number(v);
  if (v === "" || !Number.isFinite(x)) throw new EchoMismatch(`${what}: ${key} not a number`);
  return x;
}

export function reqNum(kv: Kv, key: string, what: string, suffix = ""): number {
  const x = optNum(kv, key, what, suffix);
  if (x === undefined) throw new EchoMismatch(`${what}: ${key} required`);
  return x;
}

export function oneOf<T extends string>(kv: Kv, key: string, what: string, allowed: readonly T[]): T {
  const v = reqStr(kv, key, what);
  if (!(allowed as readonly string[]).includes(v)) throw new EchoMismatch(`${what}: ${key} not one of ${allowed.join("|")}`);
  return v as T;
}

/** `1.5s` / `900ms` durations (`retrying in 2.1s`, `interval=30s`) in milliseconds. */
export function durationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m) return undefined;
  const x = Number(m[1]);
  return Math.round(m[2] === "ms" ? x : m[2] === "s" ? x * 1000 : x * 60_000);
}
