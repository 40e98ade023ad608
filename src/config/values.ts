/**
 * The value checks of the settings (settings.ts) for flags and environment variables,
 * without zod: `run` parses its flags and environment on every start, and zod costs ~18 MB of
 * RSS and ~0.17 CPU s to load (bench/README.md, issue 11). A config file still goes through the
 * zod schema (schema.ts), which reuses the string parsers below; test/telemetry/config-checks.test.ts
 * holds both paths to the same values and the same messages.
 *
 * Each check takes what parseArgs or the environment gives (a string, or a boolean for a
 * switch) and returns the value or the messages, in the order zod reports them.
 */

export type Raw = string | boolean;
export type Checked<T> = { ok: true; value: T } | { ok: false; messages: string[] };
export type Check<T> = (raw: Raw) => Checked<T>;

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
export const fail = (...messages: string[]): Checked<never> => ({ ok: false, messages });

const notString = (raw: Raw) => fail(`Invalid input: expected string, received ${typeof raw}`);

/** z.string().min(1). */
export const text: Check<string> = (raw) =>
  typeof raw !== "string" ? notString(raw) : raw.length >= 1 ? ok(raw) : fail("Too small: expected string to have >=1 characters");

/** z.string().regex(re, message). */
export const matching = (re: RegExp, message: string): Check<string> => (raw) =>
  typeof raw !== "string" ? notString(raw) : re.test(raw) ? ok(raw) : fail(message);

/** z.enum(values), with zod's own message unless one is given. */
export function oneOf<T extends string>(values: readonly T[], message?: string): Check<T> {
  const msg = message ?? `Invalid option: expected one of ${values.map((v) => JSON.stringify(v)).join("|")}`;
  return (raw) => (typeof raw === "string" && (values as readonly string[]).includes(raw) ? ok(raw as T) : fail(msg));
}

/**
 * z.coerce.number().int().min(min).max(max), every failure with one message, repeated as zod
 * repeats it: a fraction stops at the int check, an unsafe integer also fails min or max.
 */
export function wholeNumber(min: number, max: number, message = `expected a whole number from ${min} to ${max}`): Check<number> {
  return (raw) => {
    const n = Number(raw);
    if (!Number.isInteger(n)) return fail(message);
    const failed = [!Number.isSafeInteger(n), n < min, n > max].filter(Boolean).map(() => message);
    return failed.length === 0 ? ok(n) : fail(...failed);
  };
}
export const int = (min: number, max: number) => wholeNumber(min, max);

/** true/false/1/0, or a boolean from a `--switch` / `--no-switch` flag. */
export const bool: Check<boolean> = (raw) =>
  typeof raw === "boolean" ? ok(raw)
  : raw === "true" || raw === "1" ? ok(true)
  : raw === "false" || raw === "0" ? ok(false)
  : fail("expected true or false");

/** z.url({ protocol: /^https?$/ }): an absolute http(s) URL with `://`, kept as given (trimmed). */
export const url: Check<string> = (raw) => {
  const message = "expected an http:// or https:// URL";
  if (typeof raw !== "string") return fail(message);
  const trimmed = raw.trim();
  if (!/^https?:\/\//i.test(trimmed)) return fail(message);
  const parsed = URL.parse(trimmed);
  if (parsed === null || !/^https?:$/.test(parsed.protocol)) return fail(message);
  return ok(trimmed.replace(/[\t\n\r]/g, ""));
};

/** `k=v,k2=v2` (W3C-baggage style, values percent-decoded). */
export function parseKeyValues(raw: string): Checked<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, part] of raw.split(",").entries()) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const key = eq > 0 ? part.slice(0, eq).trim() : "";
    // The entry itself is not quoted back: header lists carry credentials.
    if (key === "") return fail(`expected key=value pairs separated by commas; entry ${i + 1} has no "key="`);
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return fail(`bad percent-encoding in the value of "${key}"`);
    }
  }
  return ok(out);
}
/** As the schema's union (a mapping or such a string) reports it: its own message only. */
export const keyValues: Check<Record<string, string>> = (raw) => {
  const r = typeof raw === "string" ? parseKeyValues(raw) : undefined;
  return r?.ok ? r : fail("expected key=value pairs separated by commas");
};

export interface ListenAddress { host: string; port: number }

/** HOST:PORT, [IPv6]:PORT, or "off" (null). */
export function parseListen(raw: string): Checked<ListenAddress | null> {
  if (raw === "off") return ok(null);
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(raw);
  const port = Number(m?.[2]);
  if (!m || port > 65535) return fail(`expected HOST:PORT (e.g. 127.0.0.1:9464) or "off", got "${raw}"`);
  return ok({ host: m[1]!.replace(/^\[|\]$/g, ""), port });
}
/** `name,name:port,[v6],*`: host names the HTTP server answers besides its own (serving/host-check.ts). */
export function parseHostList(raw: string): Checked<string[]> {
  const names = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = names.find((n) => !/^(\*|\[[0-9a-fA-F:.]+\](:\d{1,5})?|[0-9a-fA-F:]*::?[0-9a-fA-F:.]*|[A-Za-z0-9_.-]+(:\d{1,5})?)$/.test(n));
  return bad === undefined ? ok(names) : fail(`expected host names separated by commas (e.g. sidecar,metrics.example.com) or "*"; "${bad}" is not one`);
}
export const hostList: Check<string[]> = (raw) => (typeof raw === "string" ? parseHostList(raw) : notString(raw));
export const listen: Check<ListenAddress | null> = (raw) => (typeof raw === "string" ? parseListen(raw) : notString(raw));
