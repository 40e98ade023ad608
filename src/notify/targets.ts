/**
 * One sender per target: the request each API documents, and its answer read into ok, retry
 * (with the API's own wait: Telegram's `parameters.retry_after`, a `Retry-After` header) or a
 * refusal a person must fix, said plainly (bad token, chat not found, webhook deleted).
 * Every text that leaves here went through `scrub`: no token, webhook URL or chat id in it.
 */
import type { TargetConfig, TargetName } from "../config/notify.ts";
import { redactSecrets } from "../redact/redact.ts";
import type { Note } from "./note.ts";
import { discordBody, slackBody, telegramText } from "./render-chat.ts";
import { ntfyRequest, webhookBody } from "./render-plain.ts";

export type SendResult =
  | { ok: true }
  | { ok: false; retry: boolean; retryAfterMs?: number; reason: string; detail: string };

export interface Sender {
  name: TargetName;
  /** Least time between two messages to this target (its API's rate limit, with room). */
  minGapMs: number;
  send(note: Note, timeoutMs: number): Promise<SendResult>;
}

/** Telegram allows about one message a second per chat; Discord 5 per 2 s per webhook; Slack 1 per second; ntfy a burst then 1 per 5 s. */
const MIN_GAP_MS: Record<TargetName, number> = { telegram: 1100, discord: 500, slack: 1100, ntfy: 1000, webhook: 200 };

/** Replaces every credential in `text` (and anything the redactor knows as one). */
export function scrubber(secrets: readonly string[]): (text: string) => string {
  const sorted = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of sorted) out = out.split(s).join("[redacted]");
    return redactSecrets(out);
  };
}

/** `Retry-After`: seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return Math.ceil(s * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

interface Answer { status: number; text: string; headers: Headers }

/** POST with a timeout; a network failure or timeout is a retryable result, never a throw. */
async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Answer | SendResult> {
  try {
    const res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    const text = (await res.text()).slice(0, 2000);
    return { status: res.status, text, headers: res.headers };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") return { ok: false, retry: true, reason: "timeout", detail: `no answer within ${timeoutMs} ms` };
    // The cause's code (ECONNREFUSED, ENOTFOUND), else its message (undici's "bad port"): never the request URL.
    const why = e.cause?.code ?? e.cause?.message?.slice(0, 60);
    return { ok: false, retry: true, reason: "network", detail: `network error${why ? ` (${why})` : ""}: cannot reach the API` };
  }
}

const isAnswer = (a: Answer | SendResult): a is Answer => "status" in a;

/** Retry what waiting can fix (429, 5xx); not what a person must fix (other 4xx). */
function fromStatus(a: Answer, what: string, hint: (status: number) => string): SendResult {
  if (a.status >= 200 && a.status < 300) return { ok: true };
  const retry = a.status === 429 || a.status >= 500 || a.status === 408;
  const wait = retryAfterMs(a.headers.get("retry-after"));
  const r: SendResult = { ok: false, retry, reason: `http_${a.status}`, detail: `HTTP ${a.status}${what ? `: ${what}` : ""}${hint(a.status)}` };
  if (wait !== undefined) r.retryAfterMs = wait;
  return r;
}

const json = (text: string): Record<string, unknown> | undefined => {
  try { const v = JSON.parse(text) as unknown; return typeof v === "object" && v !== null ? v as Record<string, unknown> : undefined; } catch { return undefined; }
};
const JSON_HEADERS = { "content-type": "application/json" };

function telegram(t: Extract<TargetConfig, { name: "telegram" }>): Sender["send"] {
  return async (note, timeoutMs) => {
    const body = JSON.stringify({ chat_id: t.chatId, text: telegramText(note), parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    const a = await post(`${t.apiUrl}/bot${t.token}/sendMessage`, body, JSON_HEADERS, timeoutMs);
    if (!isAnswer(a)) return a;
    const j = json(a.text);
    const description = typeof j?.description === "string" ? j.description : "";
    const r = fromStatus(a, description, (s) => /chat not found/i.test(description) ? " (check OPENCLAW_OTEL_TELEGRAM_CHAT_ID, and that the bot was added to that chat)"
      : s === 401 || s === 404 ? " (the bot token is wrong or revoked: check OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN)"
      : s === 403 ? " (the bot was blocked or removed from the chat)" : "");
    const after = (j?.parameters as { retry_after?: unknown } | undefined)?.retry_after;
    if (!r.ok && typeof after === "number" && after >= 0) r.retryAfterMs = Math.ceil(after * 1000);
    // A 200 with ok:false does not happen in the Bot API; treat it as refused all the same.
    if (r.ok && j?.ok === false) return { ok: false, retry: false, reason: "refused", detail: `refused: ${description}` };
    return r;
  };
}

function webhookLike(name: Exclude<TargetName, "telegram">, url: string): Sender["send"] {
  return async (note, timeoutMs) => {
    let body: string, headers: Record<string, string> = JSON_HEADERS;
    if (name === "discord") body = JSON.stringify(discordBody(note));
    else if (name === "slack") body = JSON.stringify(slackBody(note));
    else if (name === "ntfy") ({ body, headers } = ntfyRequest(note));
    else body = JSON.stringify(webhookBody(note));
    const a = await post(url, body, headers, timeoutMs);
    if (!isAnswer(a)) return a;
    const j = json(a.text);
    const what = typeof j?.message === "string" ? j.message : typeof j?.error === "string" ? j.error : /^[a-z_]{2,60}$/.test(a.text.trim()) ? a.text.trim() : "";
    const fix = name === "ntfy" ? "topic URL (and its access)" : "webhook URL: deleted or mistyped?";
    const r = fromStatus(a, what, (s) => (s === 401 || s === 403 || s === 404 || s === 410 ? ` (check the ${name} ${fix})` : ""));
    // Discord's 429 body says how long in seconds (float) when the header is missing.
    if (!r.ok && r.retryAfterMs === undefined && typeof j?.retry_after === "number") r.retryAfterMs = Math.ceil(j.retry_after * 1000);
    return r;
  };
}

export function senderOf(t: TargetConfig, scrub: (s: string) => string): Sender {
  const send = t.name === "telegram" ? telegram(t) : webhookLike(t.name, t.url);
  return {
    name: t.name, minGapMs: MIN_GAP_MS[t.name],
    send: async (note, timeoutMs) => {
      const r = await send(note, timeoutMs);
      return r.ok ? r : { ...r, reason: r.reason.replace(/[^a-z0-9_]/g, "_").slice(0, 20), detail: scrub(r.detail).slice(0, 300) };
    },
  };
}
