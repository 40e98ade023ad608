/**
 * What every renderer of the status page shares: escaping (log content is attacker-controlled:
 * every value goes through esc(), attributes too), and how times, ages and numbers read.
 */
import { formatDuration } from "../incidents/index.ts";
import { formatTime } from "../incidents/describe.ts";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in element content and in quoted attribute values. */
export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ESC[c]!);
}

export const num = (n: number): string => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 2 }));

export function bytes(b: number): string {
  const u = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
  return `${i === 0 ? String(b) : b.toFixed(1)} ${u[i]}`;
}

/** Times as the page shows them: `20:22:14`, with the date when not on `now`'s day. */
export function when(ts: number, now: number): string {
  const sameDay = formatTime(ts, { utc: false, withDate: true }).slice(0, 10) === formatTime(now, { utc: false, withDate: true }).slice(0, 10);
  return formatTime(ts, { utc: false, withDate: !sameDay });
}

/** `<time>` with the exact instant in its title. */
export const timeEl = (ts: number, now: number): string =>
  `<time datetime="${esc(new Date(ts).toISOString())}" title="${esc(new Date(ts).toISOString())}">${esc(when(ts, now))}</time>`;

export const ago = (ts: number | null, now: number, never = "never"): string =>
  ts === null ? esc(never) : `${timeEl(ts, now)} <span class="mute">(${esc(formatDuration(Math.max(0, now - ts)))} ago)</span>`;

export { formatDuration };

/**
 * A table; `rows` are already-escaped cell HTML. Numeric columns from `numericFrom` on. Each cell
 * carries its column's name: on a phone the rows reflow into cards that label every value (status-page.ts).
 */
export function table(id: string, heads: string[], rows: string[][], empty: string, numericFrom = heads.length): string {
  const th = heads.map((x, i) => `<th${i >= numericFrom ? ' class="n"' : ""}>${esc(x)}</th>`).join("");
  const body = rows.length === 0
    ? `<tr><td class="none" colspan="${heads.length}">${esc(empty)}</td></tr>`
    : rows.map((r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="n"' : ""} data-label="${esc(heads[i] ?? "")}">${c}</td>`).join("")}</tr>`).join("");
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody id="${esc(id)}">${body}</tbody></table></div>`;
}

export const section = (id: string, title: string, body: string, cls = ""): string =>
  `<section id="${esc(id)}"${cls ? ` class="${esc(cls)}"` : ""}><h2>${esc(title)}</h2>${body}</section>`;
