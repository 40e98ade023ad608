/**
 * Fitting text into a chat's limits without breaking its markup: every field is escaped for
 * its format one character at a time and cut where the next character would pass the budget,
 * so a cut never splits an entity (`&amp;`) or a surrogate pair, and hostile names (HTML,
 * markdown, mentions) arrive as plain text.
 */

export type Escape = (ch: string) => string;

/** Telegram HTML and Slack mrkdwn: only these three are markup. */
export const escHtml: Escape = (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === "\"" ? "&quot;" : ch);
export const escSlack: Escape = (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch);
/** Discord markdown: a backslash makes any of these literal. */
export const escDiscord: Escape = (ch) => ("\\*_~|`>#[]()-:@".includes(ch) ? `\\${ch}` : ch);
export const plain: Escape = (ch) => ch;

/** Escaped `raw`, at most `max` UTF-16 units long (ending in "…" when cut). */
export function fit(raw: string, max: number, esc: Escape = plain): string {
  const parts: string[] = [];
  let total = 0;
  for (const ch of raw) { const e = esc(ch); parts.push(e); total += e.length; }
  if (total <= max) return parts.join("");
  let out = "";
  for (const e of parts) {
    if (out.length + e.length > max - 1) break;
    out += e;
  }
  return `${out}…`;
}

/** Header values must be Latin-1 for fetch, and ntfy reads them as ASCII: the rest becomes "?". */
export function asciiHeader(raw: string, max: number): string {
  return raw.replace(/[^\x20-\x7e]/g, "?").slice(0, max);
}

/** Joins blocks in order while they fit in `max` (with `sep`); says how many were left out. */
export function fitBlocks(blocks: string[], max: number, sep: string, more: (n: number) => string): string {
  let out = "";
  for (let i = 0; i < blocks.length; i++) {
    const next = out === "" ? blocks[i]! : out + sep + blocks[i]!;
    const tail = i < blocks.length - 1 ? sep + more(blocks.length - i - 1) : "";
    if (next.length + tail.length > max) {
      const rest = sep + more(blocks.length - i);
      return out === "" ? fit(blocks[i]!, max) : out + rest;
    }
    out = next;
  }
  return out;
}
