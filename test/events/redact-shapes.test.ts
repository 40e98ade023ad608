/**
 * secret_shapes: every shape in secret-shapes.ts is removed from free text by the one
 * redaction pass, and as the value of a label field it becomes `unknown`; legitimate model,
 * provider and channel names and ordinary error texts pass untouched.
 */
import { describe, expect, it } from "vitest";
import { looksLikeSecret, opaqueKey, redactSecrets } from "../../src/redact/redact.ts";
import { boundValue, laneValue } from "../../src/telemetry/naming/attributes.ts";
import { SHAPES } from "./secret-shapes.ts";

/** The secret, and its middle part (a redaction that keeps a prefix must not keep more). */
function leaks(out: string, secret: string): boolean {
  const third = Math.floor(secret.length / 3);
  return out.includes(secret) || out.includes(secret.slice(third, 2 * third));
}

const NAMES = [
  "claude-sonnet-4-5", "claude-opus-4-1-20250805", "claude-3-5-sonnet-20241022", "gpt-5.1-mini", "gpt-4o-mini-2024-07-18",
  "o3-mini-2025-01-31", "gemini-2.5-pro", "gemini-2.5-flash-preview-05-20", "glm-4.7", "kimi-k2-0905-preview",
  "deepseek-chat-v3-0324", "Qwen3-235B-A22B-Instruct-2507", "mistral-large-latest", "text-embedding-3-large",
  "us.anthropic.claude-3-7-sonnet-20250219-v1:0", "MiniMax-M2", "grok-4-fast-reasoning", "llama-3.3-70b-versatile",
  "anthropic", "openai", "google", "openrouter", "amazon-bedrock", "telegram", "discord", "whatsapp", "main", "cron",
  "rate_limit", "auth", "billing", "model_not_found", "session", "cognitivecomputations",
];

const ORDINARY = [
  "429 Too Many Requests: rate limit reached for requests per minute",
  "lane=session:agent:main:telegram:direct:4242 runId=run-7f3a sessionKey=agent:main:main tokens=1200",
  "fetch failed: getaddrinfo ENOTFOUND api.openai.com",
  "trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7 commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
  "Bot disconnected, reconnecting in 5s (close code 4000)",
];

describe("secret_shapes", () => {
  it(`covers at least 50 shapes (${SHAPES.length})`, () => {
    expect(SHAPES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(SHAPES.map((s) => s.name)).size).toBe(SHAPES.length);
  });

  for (const s of SHAPES) {
    it(`removes ${s.name} from free text, idempotently`, () => {
      const out = redactSecrets(s.text);
      expect(leaks(out, s.secret), out).toBe(false);
      expect(out).toContain("***");
      expect(redactSecrets(out)).toBe(out);
      // Inside a longer error text, and twice in one text.
      const twice = redactSecrets(`error: ${s.text} (again: ${s.text})`);
      expect(leaks(twice, s.secret), twice).toBe(false);
    });
    it(`never lets ${s.name} through as a label value`, () => {
      expect(boundValue(s.label)).toBe("unknown");
      expect(boundValue(s.secret)).toBe("unknown");
      // A lane keeps only its first segment (`session:…` -> `session`): never the secret.
      expect(leaks(laneValue(s.secret), s.secret)).toBe(false);
      expect(opaqueKey(s.secret)).toMatch(/^sha256:[0-9a-f]{24}$/);
    });
  }

  it("keeps legitimate model, provider, channel and reason names", () => {
    for (const name of NAMES) {
      expect(boundValue(name), name).toBe(name);
      expect(looksLikeSecret(name), name).toBe(false);
      expect(opaqueKey(name), name).toBe(name);
    }
  });

  it("leaves ordinary error texts, ids and hashes alone", () => {
    for (const text of ORDINARY) expect(redactSecrets(text)).toBe(text);
  });
});
