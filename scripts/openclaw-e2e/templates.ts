// Lists the distinct message templates of an OpenClaw gateway log: each line's message with
// numbers, ids, durations, quoted values and provider/model refs masked, grouped by subsystem
// and level, with counts and the first verbatim line of each. The captures under
// test/fixtures/real/<version>/ are read with it to find which lines carry a failure, retry,
// cooldown, rotation or failed turn (the parser's spec, /work/notes/captures-report.md).
//
// Usage: node scripts/openclaw-e2e/templates.ts [--json] [--relevant] <openclaw-*.log>...
//   --relevant  only templates that match RELEVANT (failure/retry/cooldown/... vocabulary)
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

export interface Template {
  subsystem: string; level: string; template: string; count: number; example: string;
  /** Top-level keys of the line and keys of its structured (object) args: what a parser can read without regexes. */
  fields: string[];
}

/** Words that mark a line an operator would alert on; kept broad on purpose (false positives are cheap here). */
export const RELEVANT =
  /isError=true|decision=|\bstatus=[45]\d\d|fail|error|retry|retries|cooldown|cool-down|rotat|fallback|unavailable|rate.?limit|429|40[1-3]|5\d\d|timeout|timed out|slow|lock|reclaim|re-?warm|pricing|channel|disabled|exhaust|quota|billing|abort|✗|denied|invalid/i;

/** The subsystem a line was logged under: `{"subsystem":"x"}` in "0" (subsystem loggers), else the root. */
function subsystemOf(o: Record<string, unknown>): string {
  const first = o["0"];
  if (typeof first === "string" && first.startsWith("{")) {
    try { return String((JSON.parse(first) as { subsystem?: unknown }).subsystem ?? "-"); } catch { /* plain text */ }
  }
  return "-";
}

/**
 * The message of a line: the `message` field where the version writes it (2026.4.26+), else the
 * positional string args after the subsystem binding. An object arg with an `event` name (the
 * structured meta of e.g. auth_profile_failure_state_updated) is shown as `{event=...}`.
 */
export function messageOf(o: Record<string, unknown>): string {
  const parts: string[] = [];
  let eventName: string | undefined;
  for (let i = 0; `${i}` in o; i++) {
    const v = o[`${i}`];
    if (i === 0 && typeof v === "string" && v.startsWith("{\"subsystem\"")) continue;
    if (typeof v === "string") parts.push(v);
    else if (v && typeof v === "object" && typeof (v as { event?: unknown }).event === "string") {
      // The bounded fields that change what the line means stay in the template.
      const m = v as { event: string; isError?: unknown; decision?: unknown };
      eventName = [`event=${m.event}`, ...(m.isError !== undefined ? [`isError=${String(m.isError)}`] : []),
        ...(typeof m.decision === "string" ? [`decision=${m.decision}`] : [])].join(" ");
    }
  }
  const text = typeof o.message === "string" ? o.message : parts.join(" ");
  return eventName ? `${text} {${eventName}}` : text;
}

/** Masks the variable parts of a message; order matters (long shapes before plain numbers). */
export function mask(message: string): string {
  return maskJson(message.split("\n")[0]!)
    .replace(/\b(status[=:]\s?|HTTP |\()(\d{3})\b/g, "$1\u0000$2")
    .replace(/(errorMessage|error|rawErrorPreview|Reason|detail)=.*$/, "$1=<text>")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"<s>"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'<s>'")
    .replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?/g, "<time>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\bsha256:[0-9a-f]+/g, "<hash>")
    .replace(/\b[0-9a-f]{12,}\b/gi, "<hex>")
    .replace(/\b(conn|id)=\S+/g, "$1=<id>")
    .replace(/(\/[\w.@+-]+){2,}\/?/g, "<path>")
    .replace(/\b(agent|session):[\w:.-]+/g, "$1:<key>")
    .replace(/\be2e-[\w-]+/g, "<label>")
    .replace(/\bfake[a-z]\/[a-z]+\b/g, "<provider>/<model>")
    .replace(/\bfake[a-z]:key\d\b/g, "<profile>")
    .replace(/\bfake[a-z]\b/g, "<provider>")
    .replace(/\b(alpha|beta|gamma)\b/g, "<model>")
    .replace(/(?<!\u0000)\b\d+(\.\d+)?(ms|s|m|h|KiB|MiB|MB|KB|B)\b/g, "<n>$2")
    .replace(/(?<!\u0000)\b\d+(\.\d+)?\b/g, "<n>")
    // HTTP statuses stay (status=429 and status=200 are different facts), masked above as <n>.
    .replace(/\u0000(\d{3})/g, "$1");
}

/** A JSON object at the end of a message (9.6's "slow SQLite session write {...}") becomes {json}. */
function maskJson(text: string): string {
  const i = text.indexOf('{"');
  if (i < 0) return text;
  try { JSON.parse(text.slice(i)); return `${text.slice(0, i)}{json}`; } catch { return text; }
}

export function templatesOf(text: string): { templates: Template[]; lines: number; unparsed: number } {
  const by = new Map<string, Template>();
  let lines = 0;
  let unparsed = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    lines++;
    let o: Record<string, unknown>;
    try { o = JSON.parse(line) as Record<string, unknown>; } catch { unparsed++; continue; }
    const meta = (o._meta ?? {}) as { logLevelName?: string };
    const level = meta.logLevelName ?? (typeof o.level === "string" ? o.level.toUpperCase() : "?");
    const subsystem = typeof o.subsystem === "string" ? o.subsystem : subsystemOf(o);
    const template = mask(messageOf(o));
    const key = `${subsystem}\u0000${level}\u0000${template}`;
    const t = by.get(key);
    if (t) t.count++;
    else {
      const fields = new Set(Object.keys(o));
      for (const [k, v] of Object.entries(o)) {
        if (/^\d+$/.test(k) && v && typeof v === "object") for (const f of Object.keys(v)) fields.add(`${k}.${f}`);
      }
      by.set(key, { subsystem, level, template, count: 1, example: line, fields: [...fields] });
    }
  }
  const templates = [...by.values()].sort((a, b) => a.subsystem.localeCompare(b.subsystem) || a.level.localeCompare(b.level) || b.count - a.count);
  return { templates, lines, unparsed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: "boolean" }, relevant: { type: "boolean" } } });
  if (positionals.length === 0) throw new Error("usage: templates.ts [--json] [--relevant] <log>...");
  for (const file of positionals) {
    const r = templatesOf(await readFile(file, "utf8"));
    const list = values.relevant ? r.templates.filter((t) => RELEVANT.test(t.template)) : r.templates;
    if (values.json) { process.stdout.write(`${JSON.stringify({ file, lines: r.lines, unparsed: r.unparsed, templates: list }, null, 1)}\n`); continue; }
    process.stdout.write(`# ${file}: ${r.lines} lines, ${r.unparsed} not JSON, ${r.templates.length} templates${values.relevant ? ` (${list.length} relevant)` : ""}\n`);
    for (const t of list) process.stdout.write(`${String(t.count).padStart(5)}  ${t.level.padEnd(5)} ${t.subsystem.padEnd(28)} ${t.template}\n`);
  }
}
