// A fake OpenAI-compatible chat-completions provider for the live OpenClaw test. It listens on
// 127.0.0.1 only and RECORDS every request it answers: that record is the ground truth the
// sidecar's figures are compared against (how many completions succeeded, their tokens, how
// many answers were 429/401/...).
//
// Behaviour is chosen per request by rules set through POST /control:
//   {"rules": {"key:<apiKey>": "429", "model:<id>": "hang", "*": "normal"}}
// The most specific rule wins (key, then model, then "*"). Modes: normal, 429, 401, 403, 402,
// 500, 503, hang (no answer until the client gives up), empty (a 200 whose reply has no text and
// no tool call: OpenClaw retries it and then gives the turn up as incomplete).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export const MODES = ["normal", "429", "401", "403", "402", "500", "503", "hang", "empty"] as const;
export type Mode = (typeof MODES)[number];

export interface RecordEntry {
  seq: number;
  /** When the request arrived (epoch ms). */
  t: number;
  /**
   * When the answer was finished or the client gave up (epoch ms): the 'close' of the response.
   * A hang's endT is when OpenClaw's timeout dropped the connection (or the provider shut down at
   * the end of the run). Optional: captures before 2026-12-07 have none.
   */
  endT?: number;
  phase: string;
  model: string;
  /** Last 4 characters of the bearer key: enough to tell the fake keys apart. */
  keyTail: string;
  mode: Mode;
  status: number;
  stream: boolean;
  promptTokens: number;
  completionTokens: number;
}

export interface FakeProvider {
  url: string;
  close(): Promise<void>;
  records: RecordEntry[];
}

const ERROR_BODIES: Record<string, { type: string; message: string }> = {
  "429": { type: "rate_limit_exceeded", message: "Rate limit reached for requests (fake provider)." },
  "401": { type: "invalid_api_key", message: "Incorrect API key provided (fake provider)." },
  "403": { type: "permission_denied", message: "This key is not allowed to use this model (fake provider)." },
  "402": { type: "insufficient_quota", message: "You exceeded your current quota, please check your plan and billing details (fake provider)." },
  "500": { type: "server_error", message: "The server had an error while processing your request (fake provider)." },
  "503": { type: "server_error", message: "The engine is currently overloaded (fake provider)." },
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startFakeProvider(port = 0): Promise<FakeProvider> {
  let rules: Record<string, Mode> = { "*": "normal" };
  let phase = "start";
  const records: RecordEntry[] = [];
  const hanging = new Set<ServerResponse>();

  const pick = (key: string, model: string): Mode =>
    rules[`key:${key}`] ?? rules[`model:${model}`] ?? rules["*"] ?? "normal";

  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? "/";
      if (req.method === "POST" && url === "/control") {
        const body = JSON.parse((await readBody(req)) || "{}") as { rules?: Record<string, Mode>; phase?: string };
        if (body.rules) rules = { "*": "normal", ...body.rules };
        if (body.phase) phase = body.phase;
        return json(res, 200, { rules, phase });
      }
      if (req.method === "GET" && url === "/record") return json(res, 200, records);
      if (req.method === "GET" && url.endsWith("/models")) {
        return json(res, 200, { object: "list", data: [] });
      }
      if (req.method !== "POST" || !url.endsWith("/chat/completions")) return json(res, 404, { error: { message: "not found" } });

      const raw = await readBody(req);
      let parsed: { model?: string; stream?: boolean } = {};
      try { parsed = JSON.parse(raw) as typeof parsed; } catch { /* counted with model "" */ }
      const key = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      const model = parsed.model ?? "";
      const stream = parsed.stream === true;
      const mode = pick(key, model);
      const seq = records.length + 1;
      const entry: RecordEntry = {
        seq, t: Date.now(), phase, model, keyTail: key.slice(-4), mode, status: 0, stream, promptTokens: 0, completionTokens: 0,
      };
      records.push(entry);
      // 'close' comes once the response is fully written or the socket went away first.
      res.once("close", () => { entry.endT = Date.now(); });

      if (mode === "hang") {
        entry.status = -1; // never answered
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      const err = ERROR_BODIES[mode];
      if (err) {
        entry.status = Number(mode);
        return json(res, entry.status, { error: { message: err.message, type: err.type, code: err.type } });
      }
      // Deterministic but varying token counts, so a wrong sum cannot match by accident.
      entry.status = 200;
      entry.promptTokens = 100 + (seq % 7);
      entry.completionTokens = mode === "empty" ? 0 : 20 + (seq % 5);
      const usage = {
        prompt_tokens: entry.promptTokens,
        completion_tokens: entry.completionTokens,
        total_tokens: entry.promptTokens + entry.completionTokens,
      };
      const id = `chatcmpl-fake-${seq}`;
      const created = Math.floor(Date.now() / 1000);
      const text = mode === "empty" ? "" : `fake reply ${seq}`;
      if (!stream) {
        return json(res, 200, {
          id, object: "chat.completion", created, model,
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage,
        });
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      const chunk = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
      chunk({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta: { role: "assistant", content: text }, finish_reason: null }] });
      chunk({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
      chunk({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
      res.end("data: [DONE]\n\n");
    })().catch((e: unknown) => {
      try { json(res, 500, { error: { message: String(e) } }); } catch { /* already answered */ }
    });
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const addr = server.address();
  const boundPort = typeof addr === "object" && addr ? addr.port : port;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    records,
    close: () => new Promise<void>((resolve) => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// Run directly: `node fake-provider.ts <port>`; prints the URL, stops on SIGTERM/SIGINT.
if (import.meta.url === `file://${process.argv[1]}`) {
  const p = await startFakeProvider(Number(process.argv[2] ?? 0));
  process.stdout.write(`${p.url}\n`);
  const stop = () => { void p.close().then(() => process.exit(0)); };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
