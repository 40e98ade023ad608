/**
 * Fake Telegram Bot API, Discord and Slack webhooks, ntfy and a plain webhook on one
 * 127.0.0.1 server, each checking the request as its API documents it and answering as it
 * does, errors included:
 * - Telegram (core.telegram.org/bots/api#sendmessage): POST /bot<token>/sendMessage, JSON with
 *   chat_id and text; unknown token 401 {"ok":false,"error_code":401,"description":"Unauthorized"};
 *   unknown chat 400 "Bad Request: chat not found"; text over 4096 characters (after entities)
 *   400 "Bad Request: message is too long"; parse_mode HTML with an unknown tag, an unclosed
 *   tag or a bare `&`/`<` 400 "Bad Request: can't parse entities"; 429 with parameters.retry_after.
 * - Discord (discord.com/developers/docs/resources/webhook#execute-webhook): POST
 *   /api/webhooks/<id>/<token>; embed limits (10 embeds, title 256, description 4096, footer 2048,
 *   6000 in all, content 2000) else 400 code 50035; unknown webhook 404 code 10015; 429 with
 *   Retry-After and retry_after; 204 when accepted.
 * - Slack (api.slack.com/messaging/webhooks): POST /services/<T>/<B>/<X>; `text` or blocks;
 *   header plain_text 150, section text 3000, 50 blocks, else 400 "invalid_blocks"; unknown
 *   hook 404 "no_service"; 429 with Retry-After; 200 "ok".
 * - ntfy (docs.ntfy.sh/publish): POST /<topic>, body at most 4096 bytes, Priority 1-5; 200 JSON.
 * - Webhook: POST /hook/<secret>, JSON; 200.
 * `failNext(api, answers)` queues error answers; every request is recorded with its arrival time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type Api = "telegram" | "discord" | "slack" | "ntfy" | "webhook";
export interface Received { api: Api; at: number; path: string; headers: IncomingMessage["headers"]; body: string; json?: any; text: string; status: number }
export interface Forced { status: number; body: string; headers?: Record<string, string> }

export const TOKEN = "123456789:AAHfakeTOKENfor-tests_0123456789abcdef";
export const CHAT = "-1001234567890";
export const DISCORD_PATH = "/api/webhooks/112233445566778899/discordSECRETtoken_abcdefghijklmnop";
export const SLACK_PATH = "/services/T0001/B0002/slackSECRETxyz123";
export const NTFY_PATH = "/oc-alerts-secretTopic42";
export const HOOK_PATH = "/hook/webhookSECRET987";

const TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "blockquote", "span"]);

/** Telegram's HTML mode, as far as the sidecar uses it: returns the plain text or throws why not. */
export function telegramPlain(html: string): string {
  let out = "";
  const open: string[] = [];
  for (let i = 0; i < html.length;) {
    const c = html[i]!;
    if (c === "<") {
      const m = /^<(\/?)([a-z-]+)((?:\s+[a-z]+="[^"<>]*")*)\s*>/.exec(html.slice(i));
      if (!m || !TAGS.has(m[2]!)) throw new Error(`unsupported start tag at byte offset ${i}`);
      if (m[1]) { if (open.pop() !== m[2]) throw new Error(`can't find end tag corresponding to start tag ${m[2]}`); } else open.push(m[2]!);
      i += m[0].length;
    } else if (c === "&") {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(html.slice(i));
      if (!m) throw new Error(`unsupported entity at byte offset ${i}`);
      out += m[1] === "lt" ? "<" : m[1] === "gt" ? ">" : m[1] === "amp" ? "&" : m[1] === "quot" ? "\"" : String.fromCodePoint(Number(m[1]!.startsWith("#x") ? `0x${m[1]!.slice(2)}` : m[1]!.slice(1)));
      i += m[0].length;
    } else if (c === ">") {
      out += c; i++;
    } else { out += c; i++; }
  }
  if (open.length > 0) throw new Error(`can't find end tag corresponding to start tag ${open.at(-1)}`);
  return out;
}

export interface FakeChats {
  url: string;
  received: Received[];
  accepted(api: Api): Received[];
  failNext(api: Api, ...answers: Forced[]): void;
  close(): Promise<void>;
}

export async function startFakeChats(): Promise<FakeChats> {
  const received: Received[] = [];
  const forced = new Map<Api, Forced[]>();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => { body += d; });
    req.on("end", () => {
      const r: Received = { api: "webhook", at: Date.now(), path: req.url ?? "", headers: req.headers, body, text: "", status: 0 };
      const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
        r.status = status;
        received.push(r);
        res.writeHead(status, { "content-type": text.startsWith("{") ? "application/json" : "text/plain", ...headers });
        res.end(text);
      };
      try { handle(req, r, answer); } catch (err) { answer(500, `fake server: ${(err as Error).message}`); }
    });
  });
  const handle = (req: IncomingMessage, r: Received, answer: (s: number, t: string, h?: Record<string, string>) => void) => {
    const path = r.path;
    r.api = path.startsWith("/bot") ? "telegram" : path.startsWith("/api/webhooks/") ? "discord" : path.startsWith("/services/") ? "slack" : path.startsWith("/hook/") ? "webhook" : "ntfy";
    if (req.method !== "POST") return answer(405, "method not allowed");
    const f = forced.get(r.api)?.shift();
    if (f) return answer(f.status, f.body, f.headers);
    if (r.api === "ntfy") {
      if (path !== NTFY_PATH) return answer(404, "{\"code\":40401,\"http\":404,\"error\":\"page not found\"}");
      if (Buffer.byteLength(r.body) > 4096) return answer(400, "{\"error\":\"message too large for a text message\"}");
      const p = Number(r.headers.priority ?? 3);
      if (!(p >= 1 && p <= 5)) return answer(400, "{\"code\":40007,\"http\":400,\"error\":\"invalid priority\"}");
      r.text = `${r.headers.title ?? ""}\n${r.body}`;
      return answer(200, JSON.stringify({ id: `m${received.length}`, event: "message", topic: NTFY_PATH.slice(1), message: r.body }));
    }
    if (!/application\/json/.test(String(req.headers["content-type"]))) return answer(400, "{\"error\":\"expected JSON\"}");
    r.json = JSON.parse(r.body);
    if (r.api === "telegram") {
      if (path !== `/bot${TOKEN}/sendMessage`) return answer(401, JSON.stringify({ ok: false, error_code: 401, description: "Unauthorized" }));
      if (String(r.json.chat_id) !== CHAT) return answer(400, JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: chat not found" }));
      try { r.text = r.json.parse_mode === "HTML" ? telegramPlain(r.json.text) : r.json.text; } catch (err) {
        return answer(400, JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${(err as Error).message}` }));
      }
      if (r.text.length === 0 || r.text.length > 4096) return answer(400, JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: message is too long" }));
      return answer(200, JSON.stringify({ ok: true, result: { message_id: received.length, chat: { id: Number(CHAT) }, text: r.text } }));
    }
    if (r.api === "discord") {
      if (path !== DISCORD_PATH) return answer(404, JSON.stringify({ message: "Unknown Webhook", code: 10015 }));
      const embeds: any[] = r.json.embeds ?? [];
      const total = embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0), 0);
      const bad = embeds.length > 10 || total > 6000 || (r.json.content?.length ?? 0) > 2000
        || embeds.some((e) => (e.title?.length ?? 0) > 256 || (e.description?.length ?? 0) > 4096 || (e.footer?.text?.length ?? 0) > 2048);
      if (bad || (!r.json.content && embeds.length === 0)) return answer(400, JSON.stringify({ message: "Invalid Form Body", code: 50035 }));
      r.text = [r.json.content ?? "", ...embeds.flatMap((e) => [e.title ?? "", e.description ?? "", e.footer?.text ?? ""])].join("\n");
      return answer(204, "");
    }
    if (r.api === "slack") {
      if (path !== SLACK_PATH) return answer(404, "no_service");
      const blocks: any[] = r.json.blocks ?? [];
      const bad = blocks.length > 50 || blocks.some((b) => (b.type === "header" && (b.text?.type !== "plain_text" || b.text.text.length > 150))
        || (b.type === "section" && (b.text?.text?.length ?? 0) > 3000));
      if (bad || (!r.json.text && blocks.length === 0)) return answer(400, "invalid_blocks");
      r.text = [r.json.text ?? "", ...blocks.flatMap((b) => [b.text?.text ?? "", ...(b.elements ?? []).map((e: any) => e.text ?? "")])].join("\n");
      return answer(200, "ok");
    }
    if (path !== HOOK_PATH) return answer(404, "not found");
    r.text = r.json.text ?? "";
    return answer(200, "{}");
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    received,
    accepted: (api) => received.filter((r) => r.api === api && r.status >= 200 && r.status < 300),
    failNext: (api, ...answers) => { forced.set(api, [...(forced.get(api) ?? []), ...answers]); },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The environment that points `run` / `notify test` at every fake target. */
export function fakeEnv(url: string): Record<string, string> {
  return {
    OPENCLAW_OTEL_TELEGRAM_API_URL: url, OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: TOKEN, OPENCLAW_OTEL_TELEGRAM_CHAT_ID: CHAT,
    OPENCLAW_OTEL_DISCORD_WEBHOOK_URL: `${url}${DISCORD_PATH}`, OPENCLAW_OTEL_SLACK_WEBHOOK_URL: `${url}${SLACK_PATH}`,
    OPENCLAW_OTEL_NTFY_URL: `${url}${NTFY_PATH}`, OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL: `${url}${HOOK_PATH}`,
  };
}

/** A 127.0.0.1 port nothing listens on (taken, then closed): the stack harness's freePort. */
export { freePort as closedPort } from "../stack/e2e-harness.ts";
