/**
 * A Note for ntfy and for the generic JSON webhook.
 * - ntfy (docs.ntfy.sh/publish): the body is the message (plain text, kept under its 4096-byte
 *   limit, past which ntfy turns it into an attachment); Title, Priority (1-5), Tags (emoji
 *   short codes) and Click (the status page) as headers, which must be ASCII.
 * - The webhook gets the Note as JSON: stable field names a script can read (README).
 */
import type { Note } from "./note.ts";
import { asciiHeader, fit, fitBlocks } from "./text.ts";

export const NTFY_MAX_BYTES = 4096;
const PRIORITY = { critical: "5", warning: "4", info: "3", resolved: "3" } as const;
const TAGS = { critical: "rotating_light", warning: "warning", info: "information_source", resolved: "white_check_mark" } as const;
const LABEL = { opened: "", update: "Update: ", still: "Still going on: ", resolved: "Resolved: ", test: "" } as const;

/** Plain text of a note: items with their facts, then the link. */
export function plainText(n: Note, max: number): string {
  const blocks = n.items.map((i) => [fit(`${LABEL[i.change]}${i.head}`, 200), fit(i.text, 1200), ...i.facts.slice(0, 6).map((f) => `- ${fit(f, 250)}`)].join("\n"));
  const link = n.link === undefined ? "" : `\n\n${fit(n.link, 500)}`;
  return fitBlocks([fit(`gateway ${n.host}`, 120), ...blocks], max - link.length, "\n\n", (k) => `... and ${k} more`) + link;
}

export function ntfyRequest(n: Note): { body: string; headers: Record<string, string> } {
  // Bytes, not characters: shrink until the UTF-8 body fits.
  let max = NTFY_MAX_BYTES;
  let body = plainText(n, max);
  while (Buffer.byteLength(body) > NTFY_MAX_BYTES) body = plainText(n, max = Math.floor(max * 0.8));
  const headers: Record<string, string> = { Title: asciiHeader(n.title, 250), Priority: PRIORITY[n.level], Tags: TAGS[n.level] };
  if (n.link !== undefined) headers.Click = asciiHeader(n.link, 500);
  return { body, headers };
}

export interface WebhookBody {
  source: "openclaw-otel-sidecar";
  version: 1;
  id: string;
  at: string;
  level: Note["level"];
  title: string;
  host: string;
  link: string | null;
  text: string;
  items: Array<{ change: string; kind: string; severity: string; subject: string; head: string; start: string; end: string | null; text: string; facts: string[] }>;
}

export function webhookBody(n: Note): WebhookBody {
  return {
    source: "openclaw-otel-sidecar", version: 1, id: n.id, at: new Date(n.at).toISOString(), level: n.level, title: n.title, host: n.host,
    link: n.link ?? null, text: plainText(n, 8000),
    items: n.items.map((i) => ({
      change: i.change, kind: i.kind, severity: i.severity, subject: i.subject, head: fit(i.head, 200), start: new Date(i.start).toISOString(),
      end: i.end === undefined ? null : new Date(i.end).toISOString(), text: i.text, facts: i.facts,
    })),
  };
}
