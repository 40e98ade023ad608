/**
 * The zod value types of the settings schema (config.ts): numbers, switches, URLs, key=value
 * lists and the listen address, each with an error message that says what was expected.
 */
import { z } from "zod";

export const int = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
export const bool = z.union(
  [z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")],
  { error: "expected true or false" },
);
export const url = z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });
/** `k=v,k2=v2` (W3C-baggage style, values percent-decoded) or, in a config file, a mapping. */
export const keyValues = z.union([
  z.record(z.string(), z.string()),
  z.string().transform((raw, ctx) => {
    const out: Record<string, string> = {};
    for (const [i, part] of raw.split(",").entries()) {
      if (part.trim() === "") continue;
      const eq = part.indexOf("=");
      const key = eq > 0 ? part.slice(0, eq).trim() : "";
      if (key === "") {
        // The entry itself is not quoted back: header lists carry credentials.
        ctx.issues.push({ code: "custom", input: raw, message: `expected key=value pairs separated by commas; entry ${i + 1} has no "key="` });
        return z.NEVER;
      }
      try {
        out[key] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        ctx.issues.push({ code: "custom", input: raw, message: `bad percent-encoding in the value of "${key}"` });
        return z.NEVER;
      }
    }
    return out;
  }),
], { error: "expected key=value pairs separated by commas" });
export const listen = z.string().transform((raw, ctx) => {
  if (raw === "off") return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(raw);
  const port = Number(m?.[2]);
  if (!m || port > 65535) {
    ctx.issues.push({ code: "custom", input: raw, message: `expected HOST:PORT (e.g. 127.0.0.1:9464) or "off", got "${raw}"` });
    return z.NEVER;
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
});

