import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../src/redact/redact.ts";

const CASES: [string, string, string][] = [
  ["an OpenAI key", "auth failed for sk-proj-abcdefghijklmnop1234", "abcdefghijklmnop1234"],
  ["a Google key", "key AIzaSyA1234567890abcdefghijklmnopqrstu rejected", "SyA1234567890abcdef"],
  ["a GitHub token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnop"],
  ["a fine-grained GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "11ABCDEFG0123456789"],
  ["a Slack token", "xoxb-123456789012-abcdefghijkl", "123456789012-abcdef"],
  ["a Groq key", "gsk_abcdefghijklmnopqrstuv", "abcdefghijklmnop"],
  ["a Telegram bot token in an API URL", "https://api.telegram.org/bot123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-xxyy/getMe", "AAEhBOweik6ad9r"],
  ["a bare Telegram token", "token 123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-xxyy", "AAEhBOweik6ad9r"],
  ["a bearer token", "Authorization: Bearer abc.def-ghi_jkl012345", "abc.def-ghi"],
  ["an apiKey assignment", "request failed apiKey=hunter2-not-a-vendor-key", "hunter2"],
  ["an apiKey JSON field", 'body {"apiKey":"plain-secret-value","model":"m"}', "plain-secret-value"],
  ["a password assignment", "db password: s3cr3t!", "s3cr3t"],
  ["an env-style key", "OPENROUTER_API_KEY=or-v1-abcdef0123456789", "or-v1-abcdef"],
  ["a CLI token flag", "openclaw gateway --token tok_abcdef0123", "tok_abcdef0123"],
  ["an env-style NAME_AUTH= value (issue 20)", "TWILIO_AUTH=0f3c9a1be27d4c58a6b0e91f2d7c4a35 sent", "0f3c9a1be27d4c58a6b0e91f2d7c4a35"],
  ["an AWS secret key after its key id (issue 20)", "creds AKIAIOSFODNN7EXAMPLE then wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG"],
  ["an AWS secret key with no digit after its key id", "creds AKIAIOSFODNN7EXAMPLE then wjalrxutnfemi/KzMdeng/bpxrficyexamplekey", "wjalrxutnfemi/KzMdeng"],
  ["a bare AWS secret key with no digit", "signature mismatch for wJalrXUtnFEMI/KzMDENG/bPxRfiCYEXAMPLEKEY in request", "wJalrXUtnFEMI/KzMDENG"],
  ["a PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA"],
];

describe("redactSecrets", () => {
  for (const [what, text, secret] of CASES) {
    it(`removes ${what}`, () => {
      const out = redactSecrets(text);
      expect(out).not.toContain(secret);
      expect(out).toContain("***");
    });
  }
  it("leaves identifiers and ordinary error text alone", () => {
    const text = "lane=session:agent:main:telegram:direct:4242 runId=run-7f3a sessionKey=agent:main:main 429 Too Many Requests tokens=1200";
    expect(redactSecrets(text)).toBe(text);
  });
  it("leaves hashes, trace ids, paths, CamelCase words and oauth=/author= values beside the new AWS and _AUTH rules", () => {
    for (const text of [
      "key id AKIAIOSFODNN7EXAMPLE commit 9fceb02d0ae598e95dc970b74767f19372d61af8 trace 4bf92f3577b34da6a3ce929d0e0e4736",
      "read /Users/JohnSmith/Library/ApplicationSupp failed", "class AbstractSingletonProxyFactoryBeanHelperX",
      "oauth=enabled author=someone AUTHOR=x", "sha 9FCEB02D0AE598E95DC970B74767F19372D61AF8",
    ]) expect(redactSecrets(text), text).toBe(text.replace("AKIAIOSFODNN7EXAMPLE", "AKIA***"));
  });
  it("is idempotent", () => {
    const once = redactSecrets("apiKey=sk-abcdefghijklmnopqrstuvwxyz Bearer abcdefghijklmnop");
    expect(redactSecrets(once)).toBe(once);
  });
});
